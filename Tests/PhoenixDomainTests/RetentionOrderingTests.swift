import FoundationEssentials
import PhoenixDomain
import Testing

/// Input order, equal timestamps and counts larger than the history.
struct RetentionOrderingTests {
    let now = Date(timeIntervalSince1970: 1_893_456_000)  // 2030-01-01T00:00:00Z, after every fixture

    @Test func evaluatesUnsortedInputNewestFirstAndAnswersInInputOrder() throws {
        let backups = try RetentionFixture.candidates([
            "2026-06-08T09:00:00Z", "2026-06-10T09:00:00Z", "2026-06-07T09:00:00Z", "2026-06-09T09:00:00Z",
        ])

        let decisions = RetentionPlanner.plan(backups, policy: RetentionPolicy(keepLast: 2), now: now)

        #expect(decisions.map(\.id) == backups.map(\.id))
        #expect(decisions.map(\.keep) == [false, true, false, true])
    }

    @Test func breaksTiesBetweenEqualTimesInTheGivenOrder() throws {
        let time = try RetentionFixture.date("2026-06-10T12:00:00Z")
        let backups = ["b", "a", "c"].map { RetentionCandidate(id: $0, snapshotTime: time) }

        let daily = RetentionPlanner.plan(backups, policy: RetentionPolicy(keepDaily: 2), now: now)
        let last = RetentionPlanner.plan(backups, policy: RetentionPolicy(keepLast: 2), now: now)

        // The first given wins the day; the last given is the oldest of the stable order.
        #expect(daily.map(\.reasons) == [["daily 2026-06-10"], ["not matched by any rule"], ["oldest"]])
        #expect(last.map(\.reasons) == [["last"], ["last"], ["not matched by any rule"]])
    }

    @Test func keepsEveryBackupWhenKeepLastExceedsTheCount() throws {
        let backups = try RetentionFixture.series(from: "2026-06-10T08:00:00Z", through: "2026-06-10T12:00:00Z")

        let decisions = RetentionPlanner.plan(backups, policy: RetentionPolicy(keepLast: 10), now: now)

        #expect(decisions.count == 5)
        #expect(decisions.allSatisfy { $0.keep && $0.reasons == ["last"] })
    }

    @Test func keepsTheOldestForEveryShortRuleOnlyOnce() throws {
        // One day of hourly backups: daily, weekly and monthly are all short, keep_last is not.
        let backups = try RetentionFixture.series(from: "2026-06-10T00:00:00Z", through: "2026-06-10T05:00:00Z")
        let policy = RetentionPolicy(keepLast: 6, keepDaily: 2, keepWeekly: 2, keepMonthly: 2)

        let kept = RetentionFixture.kept(RetentionPlanner.plan(backups, policy: policy, now: now))

        #expect(kept["2026-06-10T05:00:00Z"] == ["last", "daily 2026-06-10", "weekly 2026-W24", "monthly 2026-06"])
        #expect(kept["2026-06-10T00:00:00Z"] == ["last", "oldest"])
        #expect(kept.count == 6)
    }

    @Test func givesTheOldestItsBucketReasonWhenItOpensANewBucket() throws {
        let backups = try RetentionFixture.candidates(["2026-06-09T12:00:00Z", "2026-06-10T12:00:00Z"])

        let decisions = RetentionPlanner.plan(backups, policy: RetentionPolicy(keepDaily: 5), now: now)

        #expect(decisions.map(\.reasons) == [["daily 2026-06-09"], ["daily 2026-06-10"]])
    }
}
