import Logging
import PhoenixConcurrency

/// The restore side of the Directory source: writes a tar stream into a folder, safely.
///
/// Refused, before anything is written: absolute paths, `..` components, paths beneath an
/// earlier symlink entry, duplicates. Every folder on the way is opened with `O_NOFOLLOW`
/// relative to its parent, so symlinks (restored or pre-existing) are never followed; symlink
/// entries are created verbatim even when they point outside the root. Files are written under
/// a temporary name and renamed into place with their mode and modification time; folders get
/// theirs at `finish()`, once nothing more is written into them. Owners are not restored.
///
/// All file system calls run on the actor's own serial queue. After an error the extractor
/// keeps throwing it; entries completed before stay on disk, so restore into a fresh folder.
///
/// ```swift
/// let extractor = try DirectoryExtractor(root: "/restore/t1", logger: logger)
/// for try await chunk in download { try await extractor.write(chunk) }
/// let restored = try await extractor.finish()
/// guard restored == backup.tree else { throw RestoreFailure.mismatch }
/// ```
public actor DirectoryExtractor {
    /// A folder's attributes, applied at `finish()`.
    struct FolderAttributes {
        let components: [String]
        let mode: UInt32
        let modificationTime: Int64
    }

    private let executor = DispatchQueueExecutor(label: "phoenix.sources.directory.extractor")
    let options: ExtractOptions
    let logger: Logger
    let root: RestoreRoot
    var reader: TarReader
    var tally = EntryTally()
    var file: PendingFile?
    var folders: [FolderAttributes] = []
    private var failure: DirectorySourceError?

    /// The serial queue that keeps blocking file I/O off the cooperative pool.
    public nonisolated var unownedExecutor: UnownedSerialExecutor {
        executor.asUnownedSerialExecutor()
    }

    /// Opens the restore target, which must be an existing folder.
    /// - Throws: `.system("openat", …)` when it is missing or not a folder.
    public init(root: String, options: ExtractOptions = ExtractOptions(), logger: Logger) throws(DirectorySourceError) {
        self.root = try RestoreRoot(path: root)
        self.options = options
        self.reader = TarReader(limits: options.limits)
        var logger = logger
        logger[metadataKey: LogKeys.sourceKind] = "directory"
        logger[metadataKey: LogKeys.sourcePath] = "\(root)"
        self.logger = logger
    }

    /// Writes the entries completed by `chunk` (pieces of any size, in order).
    /// - Throws: Framing errors, `.unsafePath`, `.alreadyExists`, `.duplicateEntry`, `.system`.
    public func write(_ chunk: [UInt8]) throws(DirectorySourceError) {
        try guarded { () throws(DirectorySourceError) in
            reader.append(chunk)
            while let event = try reader.next() { try handle(event) }
        }
    }

    /// Checks the archive ended properly, applies folder modes and times, and returns what was
    /// restored, to compare with the backup's `ArchiveSummary.tree`.
    /// - Throws: `.truncated` when the stream stopped early; any earlier error again.
    public func finish() throws(DirectorySourceError) -> TreeSummary {
        try guarded { () throws(DirectorySourceError) in
            try reader.finish()
            try applyFolderAttributes()
        }
        let summary = tally.digest.summary()
        logger.debug("restore finished", metadata: [LogKeys.fileCount: "\(summary.fileCount)"])
        return summary
    }

    /// Restores a whole stream of chunks into `root`.
    /// - Throws: What the sequence throws, `CancellationError`, or a `DirectorySourceError`.
    public static func extract<Chunks: AsyncSequence>(
        _ chunks: Chunks, into root: String, options: ExtractOptions = ExtractOptions(), logger: Logger
    ) async throws -> TreeSummary where Chunks.Element == [UInt8] {
        let extractor = try DirectoryExtractor(root: root, options: options, logger: logger)
        for try await chunk in chunks {
            try Task.checkCancellation()
            try await extractor.write(chunk)
        }
        return try await extractor.finish()
    }

    /// Runs `body`, making its first error sticky and dropping a half-written file.
    private func guarded(_ body: () throws(DirectorySourceError) -> Void) throws(DirectorySourceError) {
        if let failure { throw failure }
        do {
            try body()
        } catch {
            failure = error
            file = nil  // PendingFile.deinit removes the temporary file
            logger.debug("restore failed", metadata: [LogKeys.errorType: "\(error.caseName)"])
            throw error
        }
    }
}
