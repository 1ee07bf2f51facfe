import FoundationEssentials
import FoundationInternationalization
import PhoenixDomain
import Testing

/// Fixed dates, zones and candidate series for the retention tests (never `Date()`).
enum RetentionFixture {
    /// Parses an ISO 8601 UTC timestamp such as `2026-06-10T15:00:00Z`.
    static func date(_ text: String) throws -> Date {
        try Date(text, strategy: .iso8601)
    }

    /// A named time zone, which must exist.
    static func zone(_ identifier: String) throws -> TimeZone {
        try #require(TimeZone(identifier: identifier))
    }

    /// Candidates whose ids are their ISO 8601 timestamps, e.g. `2026-06-10T15:00:00Z`.
    static func candidates(_ times: [String], verified: Set<String> = []) throws -> [RetentionCandidate] {
        try times.map { time in
            RetentionCandidate(id: time, snapshotTime: try date(time), isVerified: verified.contains(time))
        }
    }

    /// One candidate every `step` seconds from `first` through `last`, oldest first.
    static func series(from first: String, through last: String, step: TimeInterval = 3_600) throws -> [RetentionCandidate] {
        let start = try date(first), end = try date(last)
        return stride(from: start.timeIntervalSince1970, through: end.timeIntervalSince1970, by: step).map { seconds in
            let time = Date(timeIntervalSince1970: seconds)
            return RetentionCandidate(id: time.formatted(.iso8601), snapshotTime: time, isVerified: false)
        }
    }

    /// The kept decisions as id → reasons.
    static func kept(_ decisions: [RetentionDecision]) -> [String: [String]] {
        Dictionary(uniqueKeysWithValues: decisions.filter(\.keep).map { ($0.id, $0.reasons) })
    }

    /// The deleted decisions as id → reasons.
    static func deleted(_ decisions: [RetentionDecision]) -> [String: [String]] {
        Dictionary(uniqueKeysWithValues: decisions.filter { !$0.keep }.map { ($0.id, $0.reasons) })
    }

    /// A policy with every calendar rule set to `count` and keep_last off, in `timeZone`.
    static func everyBucket(_ count: Int, in timeZone: TimeZone = RetentionPolicy.defaultTimeZone) -> RetentionPolicy {
        RetentionPolicy(
            keepHourly: count, keepDaily: count, keepWeekly: count,
            keepMonthly: count, keepYearly: count, timeZone: timeZone
        )
    }
}
