/// One `keep*` rule while the planner walks the backups newest first: its count left and the
/// bucket it last kept (restic's `buckets[i].Count` and `.Last` in `ApplyPolicy`).
struct RetentionRuleTracker {
    /// The six rules, in restic's order, which is also the order of reasons.
    enum Kind: CaseIterable {
        case last, hourly, daily, weekly, monthly, yearly
    }

    /// What the rule did with one backup.
    enum Outcome: Equatable {
        /// The rule does not keep this backup.
        case skipped
        /// A bucket not kept before: keep, with this reason.
        case kept(reason: String)
        /// The oldest backup, in an already kept bucket, while the rule is short.
        case keptAsOldest
    }

    /// Which rule this is.
    let kind: Kind
    /// Buckets still to keep; negative means unlimited (restic's `-1`), zero means done.
    private(set) var remaining: Int
    /// The bucket of the backup this rule kept last, nil before the first.
    private var lastBucket: String?

    /// One tracker per rule of `policy` that is switched on (count neither nil nor 0), in restic's order.
    static func makeTrackers(for policy: RetentionPolicy) -> [RetentionRuleTracker] {
        Kind.allCases.compactMap { kind in
            let count: Int?
            switch kind {
            case .last: count = policy.keepLast
            case .hourly: count = policy.keepHourly
            case .daily: count = policy.keepDaily
            case .weekly: count = policy.keepWeekly
            case .monthly: count = policy.keepMonthly
            case .yearly: count = policy.keepYearly
            }
            guard let count, count != 0 else { return nil }
            return RetentionRuleTracker(kind: kind, remaining: count, lastBucket: nil)
        }
    }

    /// Applies the rule to the next backup, newest first.
    ///
    /// restic 0.16 `ApplyPolicy`: while the rule has count left, a backup is kept when its bucket
    /// differs from the last kept one, or when it is the oldest of all (`nr == len(list)-1`,
    /// restic PR #4366); either way one count is spent. `keep_last` puts every backup in a
    /// bucket of its own (restic's `always`), so it keeps the newest N.
    /// - Parameters:
    ///   - buckets: the backup's calendar buckets.
    ///   - position: its index in the newest-first order.
    ///   - isOldest: whether it is the last backup of that order.
    mutating func consider(_ buckets: RetentionBuckets, position: Int, isOldest: Bool) -> Outcome {
        guard remaining != 0 else { return .skipped }
        let bucket = label(of: buckets, position: position)
        let isNewBucket = bucket != lastBucket
        guard isNewBucket || isOldest else { return .skipped }
        lastBucket = bucket
        if remaining > 0 {
            remaining -= 1
        }
        return isNewBucket ? .kept(reason: reason(for: bucket)) : .keptAsOldest
    }

    /// The bucket a backup falls in for this rule.
    private func label(of buckets: RetentionBuckets, position: Int) -> String {
        switch kind {
        case .last: "#\(position)"
        case .hourly: buckets.hour
        case .daily: buckets.day
        case .weekly: buckets.week
        case .monthly: buckets.month
        case .yearly: buckets.year
        }
    }

    /// The reason string: `last`, or the rule's name and the bucket (`daily 2026-06-10`).
    private func reason(for bucket: String) -> String {
        switch kind {
        case .last: "last"
        case .hourly: "hourly \(bucket)"
        case .daily: "daily \(bucket)"
        case .weekly: "weekly \(bucket)"
        case .monthly: "monthly \(bucket)"
        case .yearly: "yearly \(bucket)"
        }
    }
}
