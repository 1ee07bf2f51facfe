import FoundationEssentials
import PhoenixDomain
import Testing

/// The acceptance example of issue 4: hourly backups, keep_last 3, daily 7, weekly 4, monthly 6.
struct RetentionWorkedExampleTests {
    let policy = RetentionPolicy(keepLast: 3, keepDaily: 7, keepWeekly: 4, keepMonthly: 6)

    /// Hourly backups from Monday 2026-06-01 00:00 to Wednesday 2026-06-10 15:00 UTC.
    func hourlyBackups() throws -> [RetentionCandidate] {
        try RetentionFixture.series(from: "2026-06-01T00:00:00Z", through: "2026-06-10T15:00:00Z")
    }

    let expectedKept: [String: [String]] = [
        "2026-06-10T15:00:00Z": ["last", "daily 2026-06-10", "weekly 2026-W24", "monthly 2026-06"],
        "2026-06-10T14:00:00Z": ["last"],
        "2026-06-10T13:00:00Z": ["last"],
        "2026-06-09T23:00:00Z": ["daily 2026-06-09"],
        "2026-06-08T23:00:00Z": ["daily 2026-06-08"],
        "2026-06-07T23:00:00Z": ["daily 2026-06-07", "weekly 2026-W23"],
        "2026-06-06T23:00:00Z": ["daily 2026-06-06"],
        "2026-06-05T23:00:00Z": ["daily 2026-06-05"],
        "2026-06-04T23:00:00Z": ["daily 2026-06-04"],
        "2026-06-01T00:00:00Z": ["oldest"],
    ]

    @Test func keepsExactlyTheTenBackupsOfTheWorkedExampleWithTheirReasons() throws {
        let backups = try hourlyBackups()
        #expect(backups.count == 9 * 24 + 16)
        let now = try RetentionFixture.date("2026-06-10T15:30:00Z")

        let decisions = RetentionPlanner.plan(backups, policy: policy, now: now)

        #expect(decisions.map(\.id) == backups.map(\.id))
        #expect(RetentionFixture.kept(decisions) == expectedKept)
        let deleted = RetentionFixture.deleted(decisions)
        #expect(deleted.count == backups.count - 10)
        #expect(deleted.values.allSatisfy { $0 == ["not matched by any rule"] })
    }

    @Test func givesTheSameDecisionsWhateverTheInputOrder() throws {
        let backups = try hourlyBackups()
        let now = try RetentionFixture.date("2026-06-10T15:30:00Z")
        // 7 is coprime with 232, so stepping by 7 visits every index once in a scrambled order.
        let scrambled = backups.indices.map { backups[($0 * 7) % backups.count] }

        for input in [Array(backups.reversed()), scrambled] {
            let decisions = RetentionPlanner.plan(input, policy: policy, now: now)
            #expect(decisions.map(\.id) == input.map(\.id))
            #expect(RetentionFixture.kept(decisions) == expectedKept)
        }
    }

    @Test func dropsTheOldestOnceEveryRuleHasSpentItsCount() throws {
        let satisfied = RetentionPolicy(keepLast: 3, keepDaily: 7, keepWeekly: 2, keepMonthly: 1)
        let now = try RetentionFixture.date("2026-06-10T15:30:00Z")

        let decisions = RetentionPlanner.plan(try hourlyBackups(), policy: satisfied, now: now)

        var expected = expectedKept
        expected["2026-06-01T00:00:00Z"] = nil
        #expect(RetentionFixture.kept(decisions) == expected)
        #expect(RetentionFixture.deleted(decisions)["2026-06-01T00:00:00Z"] == ["not matched by any rule"])
    }

    @Test func keepsTheMonthlyBucketOfTheOldestWhenTheHistorySpansTwoMonths() throws {
        // From Friday 2026-05-29: May is a second monthly bucket, so its newest backup is kept
        // as "monthly 2026-05", and the oldest of May only as "oldest".
        let backups = try RetentionFixture.series(from: "2026-05-29T00:00:00Z", through: "2026-06-10T15:00:00Z")
        let now = try RetentionFixture.date("2026-06-10T15:30:00Z")

        let kept = RetentionFixture.kept(RetentionPlanner.plan(backups, policy: policy, now: now))

        #expect(kept["2026-05-31T23:00:00Z"] == ["weekly 2026-W22", "monthly 2026-05"])
        #expect(kept["2026-05-29T00:00:00Z"] == ["oldest"])
        #expect(kept["2026-06-01T00:00:00Z"] == nil)
        #expect(kept.count == 11)
    }
}
