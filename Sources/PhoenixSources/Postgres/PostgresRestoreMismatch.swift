/// The restored database differs from the backup: each problem names its table (or both schema
/// versions, when the version check blocks).
public struct PostgresRestoreMismatch: Error, Sendable, CustomStringConvertible {
    public let problems: [String]
    public var description: String { "the restore does not match the backup: " + problems.joined(separator: "; ") }
}
