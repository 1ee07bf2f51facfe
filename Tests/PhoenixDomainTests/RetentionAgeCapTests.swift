import FoundationEssentials
import PhoenixDomain
import Testing

/// `maxAgeDays` (retention_days) caps every rule.
struct RetentionAgeCapTests {
    @Test func deletesBackupsOlderThanMaxAgeDaysEvenWhenARuleWouldKeepThem() throws {
        let backups = try RetentionFixture.series(from: "2026-05-01T12:00:00Z", through: "2026-06-10T12:00:00Z", step: 86_400)
        let policy = RetentionPolicy(keepDaily: 100, maxAgeDays: 30)
        let now = try RetentionFixture.date("2026-06-10T15:00:00Z")

        let decisions = RetentionPlanner.plan(backups, policy: policy, now: now)

        let kept = RetentionFixture.kept(decisions), deleted = RetentionFixture.deleted(decisions)
        #expect(kept.count == 30)
        #expect(kept["2026-05-12T12:00:00Z"] == ["daily 2026-05-12"])
        #expect(deleted.count == 11)
        #expect(deleted["2026-05-11T12:00:00Z"] == ["older than 30 days"])
        #expect(deleted.values.allSatisfy { $0 == ["older than 30 days"] })
    }

    @Test func keepsABackupExactlyAtTheCutoff() throws {
        let backups = try RetentionFixture.candidates(["2026-05-11T15:00:00Z", "2026-05-11T14:59:59Z"])
        let now = try RetentionFixture.date("2026-06-10T15:00:00Z")

        let decisions = RetentionPlanner.plan(backups, policy: RetentionPolicy(keepLast: 5, maxAgeDays: 30), now: now)

        #expect(decisions.map(\.keep) == [true, false])
        #expect(decisions.map(\.reasons) == [["last"], ["older than 30 days"]])
    }

    @Test func keepsEverythingInsideTheWindowWhenOnlyRetentionDaysIsSet() throws {
        let backups = try RetentionFixture.candidates([
            "2026-06-09T12:00:00Z", "2026-06-03T12:00:00Z", "2026-06-03T11:59:59Z",
        ])
        let now = try RetentionFixture.date("2026-06-10T12:00:00Z")

        let week = RetentionPlanner.plan(backups, policy: RetentionPolicy(maxAgeDays: 7), now: now)
        let day = RetentionPlanner.plan(backups, policy: RetentionPolicy(maxAgeDays: 1), now: now)

        #expect(week.map(\.reasons) == [["within 7 days"], ["within 7 days"], ["older than 7 days"]])
        #expect(day.map(\.reasons) == [["within 1 day"], ["older than 1 day"], ["older than 1 day"]])
    }

    @Test func countsCalendarDaysInThePolicyTimeZoneAcrossADSTChange() throws {
        // Berlin springs forward on 2026-03-29: one calendar day before 12:00 CEST is 12:00 CET,
        // which is 23 hours earlier.
        let backups = try RetentionFixture.candidates(["2026-03-28T10:30:00Z"])
        let now = try RetentionFixture.date("2026-03-29T10:00:00Z")
        var policy = RetentionPolicy(maxAgeDays: 1)

        let utc = RetentionPlanner.plan(backups, policy: policy, now: now)
        policy.timeZone = try RetentionFixture.zone("Europe/Berlin")
        let berlin = RetentionPlanner.plan(backups, policy: policy, now: now)

        #expect(utc.map(\.reasons) == [["within 1 day"]])
        #expect(berlin.map(\.reasons) == [["older than 1 day"]])
    }

    @Test func appliesTheCapAfterTheRulesSoTheOldestStaysTheOldestOfAll() throws {
        // keep_daily 7 is short, so restic keeps the oldest of all (2026-06-01T08:00); the cap
        // then deletes it, and no younger backup is promoted to "oldest" in its place.
        let backups = try RetentionFixture.candidates([
            "2026-06-10T10:00:00Z", "2026-06-10T08:00:00Z", "2026-06-01T10:00:00Z", "2026-06-01T08:00:00Z",
        ])
        let now = try RetentionFixture.date("2026-06-10T12:00:00Z")

        let decisions = RetentionPlanner.plan(backups, policy: RetentionPolicy(keepDaily: 7, maxAgeDays: 5), now: now)

        #expect(decisions.map(\.reasons) == [
            ["daily 2026-06-10"], ["not matched by any rule"], ["older than 5 days"], ["older than 5 days"],
        ])
    }
}
