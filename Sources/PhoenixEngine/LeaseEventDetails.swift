import FoundationEssentials
import PhoenixDomain

/// The details of a `lease.acquired` event: catalog-clock times in unix milliseconds, so the
/// takeover gap (`acquired_at - previous_renewed_at`) can be checked against the period.
enum LeaseEventDetails {
    static func acquired(_ grant: LeaseGrant, period: Duration) -> [String: String] {
        var details = ["holder": grant.holder, "epoch": "\(grant.epoch)", "period_ms": "\(period.milliseconds)"]
        if let acquiredAt = grant.acquiredAt { details["acquired_at"] = "\(acquiredAt.unixMillis)" }
        if let previous = grant.previous {
            details["previous_holder"] = previous.holder
            details["previous_epoch"] = "\(previous.epoch)"
            if let renewedAt = previous.renewedAt {
                details["previous_renewed_at"] = "\(renewedAt.unixMillis)"
                if let acquiredAt = grant.acquiredAt {
                    details["takeover_gap_ms"] = "\(acquiredAt.unixMillis - renewedAt.unixMillis)"
                }
            }
        }
        return details
    }
}

extension Date {
    /// Whole milliseconds since 1970, as the catalogs store dates.
    var unixMillis: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }
}

extension Duration {
    /// Whole milliseconds.
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
