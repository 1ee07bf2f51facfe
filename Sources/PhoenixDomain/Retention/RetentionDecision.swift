/// The planner's verdict on one backup: keep or delete, and why.
///
/// A kept backup lists every rule that keeps it, in restic's order (`last`, `hourly …`,
/// `daily …`, `weekly …`, `monthly …`, `yearly …`, then `oldest`), followed by `within N days`,
/// `no policy` or `newest verified` where they apply. A deleted backup has exactly one reason:
/// `older than N days` when the age cap removed it, else `not matched by any rule`.
public struct RetentionDecision: Sendable, Equatable {
    /// The candidate's identifier.
    public var id: String
    /// True to keep the backup, false to delete it.
    public var keep: Bool
    /// Why: the rules that keep it, or the one reason it goes.
    public var reasons: [String]

    /// Creates a decision.
    public init(id: String, keep: Bool, reasons: [String]) {
        self.id = id
        self.keep = keep
        self.reasons = reasons
    }
}
