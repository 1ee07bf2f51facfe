import FoundationEssentials
import Logging
import PhoenixDomain

/// The `directory` source: a folder as a tar stream (the embedded sample dataset, metrics
/// snapshots). Its record count is the number of regular files and its content digest the
/// `TreeDigest` of the tree, so a verify or a restore is checked exactly against the backup.
public struct DirectorySource: BackupSource {
    public let root: String
    public let excludes: [String]
    let now: @Sendable () -> Date
    let logger: Logger

    public init(root: String, excludes: [String] = [], now: @escaping @Sendable () -> Date, logger: Logger) {
        self.root = root
        self.excludes = excludes
        self.now = now
        self.logger = logger
    }

    public var kind: String { "directory" }

    /// Text and logs compress well; zstd is on.
    public var isCompressible: Bool { true }

    /// Streams the tree. A folder is not a consistent snapshot: files changing meanwhile are
    /// stored as read and reported as warnings, and the snapshot time is when the walk began.
    public func snapshot(into sink: any SnapshotSink) async throws -> SnapshotSummary {
        let started = now()
        let archiver = DirectoryArchiver(root: root, options: ArchiveOptions(excludes: excludes), logger: logger)
        let summary = try await archiver.archive { chunk in try await sink.write(chunk) }
        return SnapshotSummary(
            snapshotAt: started, recordCount: Int64(summary.tree.fileCount), contentDigest: summary.tree.digest,
            warnings: summary.warnings.map { "\($0)" })
    }

    public func makeChecker() -> any SnapshotChecker {
        DirectoryChecker()
    }
}

/// The directory source's own check: parses the tar read back and recomputes count and digest.
final class DirectoryChecker: SnapshotChecker {
    private var verifier = DirectoryVerifier()

    func consume(_ bytes: [UInt8]) throws {
        try verifier.consume(bytes)
    }

    func finish() throws -> (recordCount: Int64?, contentDigest: String?) {
        let tree = try verifier.finish()
        return (Int64(tree.fileCount), tree.digest)
    }
}
