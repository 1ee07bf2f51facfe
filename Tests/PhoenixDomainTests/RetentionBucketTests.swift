import FoundationEssentials
import PhoenixDomain
import Testing

/// Calendar buckets: their labels, ISO 8601 weeks and where week and year boundaries fall.
struct RetentionBucketTests {
    let now = Date(timeIntervalSince1970: 1_893_456_000)  // 2030-01-01T00:00:00Z, after every fixture

    @Test func labelsEveryBucketOfASingleBackup() throws {
        let backups = try RetentionFixture.candidates(["2026-06-10T15:42:10Z"])

        let decisions = RetentionPlanner.plan(backups, policy: RetentionFixture.everyBucket(1), now: now)

        #expect(decisions == [RetentionDecision(
            id: "2026-06-10T15:42:10Z", keep: true,
            reasons: ["hourly 2026-06-10T15", "daily 2026-06-10", "weekly 2026-W24", "monthly 2026-06", "yearly 2026"]
        )])
    }

    @Test(arguments: [
        ("2026-06-07T23:59:59Z", "2026-W23"),  // Sunday ends the week
        ("2026-06-08T00:00:00Z", "2026-W24"),  // Monday starts the next
        ("2025-12-28T23:00:00Z", "2025-W52"),  // Sunday
        ("2025-12-29T00:00:00Z", "2026-W01"),  // Monday of the week holding Thursday 2026-01-01
        ("2026-01-01T12:00:00Z", "2026-W01"),
        ("2026-12-31T12:00:00Z", "2026-W53"),  // 2026 starts on a Thursday: 53 weeks
        ("2027-01-01T12:00:00Z", "2026-W53"),
        ("2027-01-03T23:59:59Z", "2026-W53"),
        ("2027-01-04T00:00:00Z", "2027-W01"),
        ("2024-12-30T00:00:00Z", "2025-W01"),  // 2025 starts on a Wednesday: its week 1 starts in 2024
        ("2020-12-31T00:00:00Z", "2020-W53"),  // leap year starting on a Wednesday: 53 weeks
        ("2021-01-03T00:00:00Z", "2020-W53"),
        ("2021-12-31T00:00:00Z", "2021-W52"),
        ("2022-01-02T00:00:00Z", "2021-W52"),
    ])
    func labelsTheISOWeek(time: String, week: String) throws {
        let backups = try RetentionFixture.candidates([time])

        let decisions = RetentionPlanner.plan(backups, policy: RetentionPolicy(keepWeekly: 1), now: now)

        #expect(decisions.first?.reasons == ["weekly \(week)"])
    }

    @Test func splitsSundayAndMondayIntoDifferentWeeks() throws {
        let backups = try RetentionFixture.candidates([
            "2026-06-06T12:00:00Z",  // Saturday
            "2026-06-07T12:00:00Z",  // Sunday
            "2026-06-08T12:00:00Z",  // Monday
        ])

        let decisions = RetentionPlanner.plan(backups, policy: RetentionPolicy(keepWeekly: 2), now: now)

        #expect(RetentionFixture.kept(decisions) == [
            "2026-06-08T12:00:00Z": ["weekly 2026-W24"],
            "2026-06-07T12:00:00Z": ["weekly 2026-W23"],
        ])
        #expect(RetentionFixture.deleted(decisions) == ["2026-06-06T12:00:00Z": ["not matched by any rule"]])
    }

    @Test func countsTheISOWeekYearApartFromTheCalendarYear() throws {
        let backups = try RetentionFixture.candidates([
            "2026-12-31T12:00:00Z", "2027-01-01T12:00:00Z", "2027-01-04T12:00:00Z",
        ])

        let decisions = RetentionPlanner.plan(backups, policy: RetentionPolicy(keepWeekly: 2, keepYearly: 2), now: now)

        #expect(decisions.map(\.reasons) == [
            ["yearly 2026"],
            ["weekly 2026-W53"],
            ["weekly 2027-W01", "yearly 2027"],
        ])
    }

    @Test func countsOnlyBucketsThatHoldABackup() throws {
        // Three days with backups spread over three weeks: keep_daily 3 reaches back to the first.
        let backups = try RetentionFixture.candidates([
            "2026-05-20T08:00:00Z", "2026-05-20T09:00:00Z", "2026-06-01T09:00:00Z", "2026-06-10T09:00:00Z",
        ])

        let decisions = RetentionPlanner.plan(backups, policy: RetentionPolicy(keepDaily: 3), now: now)

        #expect(decisions.map(\.reasons) == [
            ["not matched by any rule"], ["daily 2026-05-20"], ["daily 2026-06-01"], ["daily 2026-06-10"],
        ])
    }

    @Test func keepsEveryBucketWhenTheCountIsUnlimited() throws {
        let backups = try RetentionFixture.series(from: "2026-06-01T00:00:00Z", through: "2026-06-03T23:00:00Z")

        let decisions = RetentionPlanner.plan(backups, policy: RetentionPolicy(keepDaily: -1), now: now)

        // restic's -1 ("unlimited") never runs out, so the oldest is kept as well.
        #expect(RetentionFixture.kept(decisions) == [
            "2026-06-03T23:00:00Z": ["daily 2026-06-03"],
            "2026-06-02T23:00:00Z": ["daily 2026-06-02"],
            "2026-06-01T23:00:00Z": ["daily 2026-06-01"],
            "2026-06-01T00:00:00Z": ["oldest"],
        ])
    }
}
