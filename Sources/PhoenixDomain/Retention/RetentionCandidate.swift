import FoundationEssentials

/// One backup that the retention planner may keep or delete.
public struct RetentionCandidate: Sendable, Equatable {
    /// The backup's identifier, echoed in its ``RetentionDecision``.
    public var id: String
    /// When the backed-up data was captured; buckets and age are computed from this.
    public var snapshotTime: Date
    /// Whether the backup passed verification; the newest verified one is never deleted.
    public var isVerified: Bool

    /// Creates a candidate.
    public init(id: String, snapshotTime: Date, isVerified: Bool = false) {
        self.id = id
        self.snapshotTime = snapshotTime
        self.isVerified = isVerified
    }
}
