import FoundationEssentials

/// Decides which backups of one dataset to keep, with restic `forget` semantics (restic 0.16).
///
/// The `keep*` rules are OR'ed over the backups sorted newest first; `maxAgeDays` then deletes
/// everything older than `now` minus that many calendar days; finally the newest verified backup
/// is always kept. An empty policy keeps everything. The planner is pure: no clock, no I/O.
///
/// ```swift
/// let policy = RetentionPolicy(keepLast: 3, keepDaily: 7, maxAgeDays: 30)
/// let decisions = RetentionPlanner.plan(backups, policy: policy, now: clock.now())
/// let doomed = decisions.filter { !$0.keep }.map(\.id)
/// ```
public enum RetentionPlanner {
    /// One decision per candidate (same order as given), newest-first evaluation as restic does.
    ///
    /// Candidates with equal snapshot times keep their given order in the newest-first walk
    /// (restic sorts with `sort.Stable`), so of two equal times the first given wins a bucket.
    /// - Parameters:
    ///   - candidates: the dataset's backups, in any order.
    ///   - policy: the rules, the age cap and the time zone of the calendar buckets.
    ///   - now: the wall-clock time the age cap counts back from.
    /// - Returns: a decision for each candidate, at the candidate's index.
    public static func plan(
        _ candidates: [RetentionCandidate],
        policy: RetentionPolicy,
        now: Date
    ) -> [RetentionDecision] {
        let order = newestFirst(candidates)
        var decisions: [RetentionDecision]
        if policy.isEmpty {
            decisions = candidates.map { RetentionDecision(id: $0.id, keep: true, reasons: ["no policy"]) }
        } else {
            let matches = ruleReasons(candidates, order: order, policy: policy)
            let cutoff = policy.maxAgeDays.map { ageCutoff(days: $0, before: now, in: policy.timeZone) }
            decisions = candidates.indices.map { index in
                decide(candidates[index], matches: matches[index], policy: policy, cutoff: cutoff)
            }
        }
        if let newestVerified = order.first(where: { candidates[$0].isVerified }) {
            protect(&decisions[newestVerified])
        }
        return decisions
    }

    // MARK: - Steps

    /// Candidate indices sorted newest first; equal times keep their given order.
    static func newestFirst(_ candidates: [RetentionCandidate]) -> [Int] {
        candidates.indices.sorted { lhs, rhs in
            let left = candidates[lhs].snapshotTime, right = candidates[rhs].snapshotTime
            return left != right ? left > right : lhs < rhs
        }
    }

    /// The reasons the `keep*` rules give each candidate (by candidate index); empty if none.
    ///
    /// A backup that several short rules keep as the oldest gets one `oldest`, after its bucket
    /// reasons.
    static func ruleReasons(
        _ candidates: [RetentionCandidate],
        order: [Int],
        policy: RetentionPolicy
    ) -> [[String]] {
        var trackers = RetentionRuleTracker.makeTrackers(for: policy)
        let calendar = RetentionBuckets.makeCalendar(timeZone: policy.timeZone)
        var reasons = [[String]](repeating: [], count: candidates.count)
        for (position, index) in order.enumerated() {
            let buckets = RetentionBuckets(of: candidates[index].snapshotTime, in: calendar)
            let isOldest = position == order.count - 1
            var isKeptAsOldest = false
            for tracker in trackers.indices {
                switch trackers[tracker].consider(buckets, position: position, isOldest: isOldest) {
                case .skipped: break
                case .kept(let reason): reasons[index].append(reason)
                case .keptAsOldest: isKeptAsOldest = true
                }
            }
            if isKeptAsOldest {
                reasons[index].append("oldest")
            }
        }
        return reasons
    }

    /// The earliest snapshot time that `maxAgeDays` still keeps: `now` minus `days` calendar
    /// days in the policy's zone, as restic's `--keep-within` counts days (`AddDate`).
    static func ageCutoff(days: Int, before now: Date, in timeZone: TimeZone) -> Date {
        let calendar = RetentionBuckets.makeCalendar(timeZone: timeZone)
        return calendar.date(byAdding: .day, value: -days, to: now)
            ?? now.addingTimeInterval(-Double(days) * 86_400)
    }

    /// Keep or delete one candidate of a non-empty policy, before the safety rule.
    static func decide(
        _ candidate: RetentionCandidate,
        matches: [String],
        policy: RetentionPolicy,
        cutoff: Date?
    ) -> RetentionDecision {
        if let cutoff, let days = policy.maxAgeDays, candidate.snapshotTime < cutoff {
            return RetentionDecision(id: candidate.id, keep: false, reasons: ["older than \(dayCount(days))"])
        }
        if !policy.hasKeepRule, let days = policy.maxAgeDays {
            // Only `retention_days` is set (the seed's data tiers): the window itself keeps.
            return RetentionDecision(id: candidate.id, keep: true, reasons: ["within \(dayCount(days))"])
        }
        if matches.isEmpty {
            return RetentionDecision(id: candidate.id, keep: false, reasons: ["not matched by any rule"])
        }
        return RetentionDecision(id: candidate.id, keep: true, reasons: matches)
    }

    /// Applies the safety rule: the newest verified backup is kept and says so.
    ///
    /// When only the safety rule keeps it, the deletion reason is dropped, so a kept decision
    /// lists only what keeps it.
    static func protect(_ decision: inout RetentionDecision) {
        if !decision.keep {
            decision.keep = true
            decision.reasons = []
        }
        decision.reasons.append("newest verified")
    }

    /// `1 day` or `N days`.
    static func dayCount(_ days: Int) -> String {
        days == 1 ? "1 day" : "\(days) days"
    }
}
