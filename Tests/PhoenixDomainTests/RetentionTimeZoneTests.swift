import FoundationEssentials
import PhoenixDomain
import Testing

/// Buckets are computed in the policy's time zone, not in UTC.
struct RetentionTimeZoneTests {
    let now = Date(timeIntervalSince1970: 1_893_456_000)  // 2030-01-01T00:00:00Z, after every fixture

    func reasons(_ time: String, in zone: String) throws -> [String] {
        let policy = RetentionFixture.everyBucket(1, in: try RetentionFixture.zone(zone))
        let decisions = RetentionPlanner.plan(try RetentionFixture.candidates([time]), policy: policy, now: now)
        return try #require(decisions.first).reasons
    }

    @Test func movesALateUTCBackupIntoTheNextDayInBerlin() throws {
        #expect(try reasons("2026-06-09T23:30:00Z", in: "UTC") == [
            "hourly 2026-06-09T23", "daily 2026-06-09", "weekly 2026-W24", "monthly 2026-06", "yearly 2026",
        ])
        #expect(try reasons("2026-06-09T23:30:00Z", in: "Europe/Berlin") == [
            "hourly 2026-06-10T01", "daily 2026-06-10", "weekly 2026-W24", "monthly 2026-06", "yearly 2026",
        ])
    }

    @Test func movesAnEarlyUTCBackupIntoThePreviousYearInNewYork() throws {
        #expect(try reasons("2027-01-01T03:00:00Z", in: "America/New_York") == [
            "hourly 2026-12-31T22", "daily 2026-12-31", "weekly 2026-W53", "monthly 2026-12", "yearly 2026",
        ])
    }

    @Test func movesASundayNightUTCBackupIntoMondaysWeekInBerlin() throws {
        #expect(try reasons("2026-06-07T22:30:00Z", in: "Europe/Berlin").contains("weekly 2026-W24"))
        #expect(try reasons("2026-06-07T22:30:00Z", in: "UTC").contains("weekly 2026-W23"))
    }

    @Test func usesHalfHourOffsetsForHourBuckets() throws {
        #expect(try reasons("2026-06-10T15:45:00Z", in: "Asia/Kolkata").first == "hourly 2026-06-10T21")
    }

    @Test func mergesBackupsThatShareALocalDay() throws {
        let backups = try RetentionFixture.candidates([
            "2026-06-10T01:00:00Z", "2026-06-09T22:30:00Z", "2026-06-09T10:00:00Z",
        ])
        var policy = RetentionPolicy(keepDaily: 2)

        let utc = RetentionPlanner.plan(backups, policy: policy, now: now)
        policy.timeZone = try RetentionFixture.zone("Europe/Berlin")
        let berlin = RetentionPlanner.plan(backups, policy: policy, now: now)

        #expect(utc.map(\.reasons) == [["daily 2026-06-10"], ["daily 2026-06-09"], ["not matched by any rule"]])
        #expect(berlin.map(\.reasons) == [["daily 2026-06-10"], ["not matched by any rule"], ["daily 2026-06-09"]])
    }

    @Test func treatsTheRepeatedHourOfAFallBackAsOneBucket() throws {
        // 2026-10-25 in Berlin: 02:00–02:59 happens twice (00:30Z is 02:30 CEST, 01:30Z is 02:30 CET).
        let backups = try RetentionFixture.candidates([
            "2026-10-24T23:30:00Z", "2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z", "2026-10-25T02:30:00Z",
        ])
        let policy = RetentionPolicy(keepHourly: 3, timeZone: try RetentionFixture.zone("Europe/Berlin"))

        let decisions = RetentionPlanner.plan(backups, policy: policy, now: now)

        #expect(decisions.map(\.reasons) == [
            ["hourly 2026-10-25T01"], ["not matched by any rule"], ["hourly 2026-10-25T02"], ["hourly 2026-10-25T03"],
        ])
    }
}
