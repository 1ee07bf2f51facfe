import FoundationEssentials

/// What a source tells about the snapshot it streamed: the time it stands for, and the counts and
/// digest that let a restore be checked exactly (DESIGN.md §1.3: "empty" or "truncated" cannot pass).
public struct SnapshotSummary: Sendable, Equatable {
    /// The instant the snapshot is consistent at: what RPO is measured against.
    public var snapshotAt: Date
    /// Files, keys or rows, as the source counts them.
    public var recordCount: Int64?
    /// An order-independent digest of the content, so a restore can be compared without the bytes.
    public var contentDigest: String?
    public var sourceVersion: String?
    /// Things an operator should know that did not fail the backup (a file changed while read).
    public var warnings: [String]

    public init(snapshotAt: Date, recordCount: Int64? = nil, contentDigest: String? = nil, sourceVersion: String? = nil,
                warnings: [String] = []) {
        self.snapshotAt = snapshotAt
        self.recordCount = recordCount
        self.contentDigest = contentDigest
        self.sourceVersion = sourceVersion
        self.warnings = warnings
    }
}

/// Where a source writes its snapshot: the backup pipeline (compress, encrypt, hash, store).
/// Each `write` returns once the bytes are taken, which is the source's backpressure.
public protocol SnapshotSink: Sendable {
    func write(_ bytes: [UInt8]) async throws
}

/// Reads a snapshot back as the source understands it (a tar's entries, an RDB's keys) and
/// recomputes its count and digest: the source's own check in a verify job. `finish` may run a
/// tool over what was consumed (`git bundle verify`), so it is async.
public protocol SnapshotChecker: AnyObject {
    func consume(_ bytes: [UInt8]) throws
    func finish() async throws -> (recordCount: Int64?, contentDigest: String?)
}

/// A system whose data phoenix-dr backs up (DESIGN.md §2: `PhoenixSources`).
public protocol BackupSource: Sendable {
    /// `directory`, `redis`, `postgres`, `vault`, `git`.
    var kind: String { get }
    /// False where the stream is compressed already (RDB, `pg_dump -Fc` unless told level 0),
    /// so zstd is skipped.
    var isCompressible: Bool { get }
    /// Streams one consistent snapshot into `sink`.
    func snapshot(into sink: any SnapshotSink) async throws -> SnapshotSummary
    /// A checker for a snapshot of this source read back from the store.
    func makeChecker() -> any SnapshotChecker
    /// The checker for the backup job's read-back of the snapshot it just wrote, which `snapshot`
    /// reported as `summary`: by default `makeChecker()`. A source that checked the stream
    /// while sending it, and whose content digest is a hash of the whole raw stream, may return
    /// a checker that only rehashes it: equal bytes parse to the same count.
    func makeReadBackChecker(for summary: SnapshotSummary) -> any SnapshotChecker
    /// The checker for a read-back that follows the upload while the snapshot is still being
    /// written, before its summary exists: by default `makeChecker()`. nil makes the read-back
    /// wait for the summary (a source whose read-back checker needs it).
    func makeFollowingChecker() -> (any SnapshotChecker)?
}

extension BackupSource {
    public func makeReadBackChecker(for summary: SnapshotSummary) -> any SnapshotChecker {
        makeChecker()
    }

    public func makeFollowingChecker() -> (any SnapshotChecker)? {
        makeChecker()
    }
}
