import FoundationEssentials
import FoundationInternationalization

/// Applies a dataset's retention to its backups: the planner's restic rules, the tier's
/// `retention_days` as the age cap, the newest verified backup always kept, and pinned
/// backups kept whatever the rules say.
public enum BackupRetention {
    /// The policy of `dataset`: its `keep_*` rules, capped at `retention_days`, in its time zone.
    public static func policy(for dataset: DatasetSpec) -> RetentionPolicy {
        let rules = dataset.retention
        return RetentionPolicy(
            keepLast: rules.keepLast, keepHourly: rules.keepHourly, keepDaily: rules.keepDaily, keepWeekly: rules.keepWeekly,
            keepMonthly: rules.keepMonthly, keepYearly: rules.keepYearly, maxAgeDays: dataset.retentionDays,
            timeZone: TimeZone(identifier: dataset.timeZone) ?? RetentionPolicy.defaultTimeZone)
    }

    /// One decision per backup, in the given order.
    public static func plan(_ backups: [BackupRecord], dataset: DatasetSpec, now: Date) -> [RetentionDecision] {
        let candidates = backups.map { backup in
            RetentionCandidate(id: backup.id.rawValue, snapshotTime: backup.snapshotAt, isVerified: backup.verifiedAt != nil)
        }
        var decisions = RetentionPlanner.plan(candidates, policy: policy(for: dataset), now: now)
        for index in backups.indices where backups[index].isPinned {
            if !decisions[index].keep {
                decisions[index] = RetentionDecision(id: decisions[index].id, keep: true, reasons: ["pinned"])
            } else {
                decisions[index].reasons.append("pinned")
            }
        }
        return decisions
    }
}
