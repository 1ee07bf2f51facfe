import FoundationEssentials
import PhoenixDomain
import Testing

/// The safety rules: the newest verified backup is never deleted; an empty policy keeps all.
struct RetentionSafetyTests {
    let now = Date(timeIntervalSince1970: 1_893_456_000)  // 2030-01-01T00:00:00Z, after every fixture

    @Test func keepsTheNewestVerifiedBackupWhenNoRuleDoes() throws {
        let times = ["2026-06-10T12:00:00Z", "2026-06-10T11:00:00Z", "2026-06-10T10:00:00Z"]
        let backups = try RetentionFixture.candidates(times, verified: [times[1], times[2]])

        let decisions = RetentionPlanner.plan(backups, policy: RetentionPolicy(keepLast: 1), now: now)

        #expect(decisions.map(\.keep) == [true, true, false])
        #expect(decisions.map(\.reasons) == [["last"], ["newest verified"], ["not matched by any rule"]])
    }

    @Test func addsNewestVerifiedToABackupARuleAlreadyKeeps() throws {
        let backups = try RetentionFixture.candidates(["2026-06-10T12:00:00Z"], verified: ["2026-06-10T12:00:00Z"])

        let decisions = RetentionPlanner.plan(backups, policy: RetentionPolicy(keepLast: 1), now: now)

        #expect(decisions.map(\.reasons) == [["last", "newest verified"]])
    }

    @Test func keepsTheNewestVerifiedBackupEvenWhenItIsOlderThanMaxAgeDays() throws {
        let times = ["2026-06-09T12:00:00Z", "2026-06-08T12:00:00Z", "2026-05-31T12:00:00Z", "2026-05-21T12:00:00Z"]
        let backups = try RetentionFixture.candidates(times, verified: [times[2], times[3]])
        let now = try RetentionFixture.date("2026-06-10T12:00:00Z")

        let withRules = RetentionPlanner.plan(backups, policy: RetentionPolicy(keepLast: 3, maxAgeDays: 7), now: now)
        let capOnly = RetentionPlanner.plan(backups, policy: RetentionPolicy(maxAgeDays: 7), now: now)

        #expect(withRules.map(\.keep) == [true, true, true, false])
        #expect(withRules.map(\.reasons) == [["last"], ["last"], ["newest verified"], ["older than 7 days"]])
        #expect(capOnly.map(\.reasons) == [
            ["within 7 days"], ["within 7 days"], ["newest verified"], ["older than 7 days"],
        ])
    }

    @Test func protectsTheFirstGivenOfVerifiedBackupsWithEqualTimes() throws {
        let backups = [
            RetentionCandidate(id: "x", snapshotTime: try RetentionFixture.date("2026-06-10T12:00:00Z"), isVerified: true),
            RetentionCandidate(id: "y", snapshotTime: try RetentionFixture.date("2026-06-10T12:00:00Z"), isVerified: true),
            RetentionCandidate(id: "z", snapshotTime: try RetentionFixture.date("2026-06-10T13:00:00Z"), isVerified: false),
        ]

        let decisions = RetentionPlanner.plan(backups, policy: RetentionPolicy(keepLast: 1), now: now)

        #expect(decisions.map(\.reasons) == [["newest verified"], ["not matched by any rule"], ["last"]])
    }

    @Test func keepsEverythingUnderAnEmptyPolicy() throws {
        let times = ["2026-06-10T12:00:00Z", "2020-01-01T00:00:00Z", "2026-06-11T12:00:00Z"]
        let backups = try RetentionFixture.candidates(times, verified: [times[0]])

        let decisions = RetentionPlanner.plan(backups, policy: RetentionPolicy(), now: now)

        #expect(decisions == [
            RetentionDecision(id: times[0], keep: true, reasons: ["no policy", "newest verified"]),
            RetentionDecision(id: times[1], keep: true, reasons: ["no policy"]),
            RetentionDecision(id: times[2], keep: true, reasons: ["no policy"]),
        ])
    }

    @Test func treatsZeroCountsAsNoRuleAndRetentionDaysAsARule() throws {
        let zeroes = RetentionPolicy(keepLast: 0, keepHourly: 0, keepDaily: 0, keepWeekly: 0, keepMonthly: 0, keepYearly: 0)
        #expect(RetentionPolicy().isEmpty)
        #expect(zeroes.isEmpty)
        #expect(!RetentionPolicy(maxAgeDays: 30).isEmpty)
        #expect(!RetentionPolicy(keepYearly: -1).isEmpty)

        let backups = try RetentionFixture.candidates(["2026-06-10T12:00:00Z"])
        #expect(RetentionPlanner.plan(backups, policy: zeroes, now: now).map(\.reasons) == [["no policy"]])
    }

    @Test func returnsNoDecisionsForNoBackups() {
        #expect(RetentionPlanner.plan([], policy: RetentionPolicy(), now: now).isEmpty)
        #expect(RetentionPlanner.plan([], policy: RetentionPolicy(keepLast: 3, maxAgeDays: 7), now: now).isEmpty)
    }
}
