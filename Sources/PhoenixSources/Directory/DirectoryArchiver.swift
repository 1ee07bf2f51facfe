import Glibc
import Logging
import PhoenixConcurrency

/// The backup side of the Directory source: walks a folder and streams it as a POSIX tar.
///
/// The walk is depth-first with each folder's names sorted by bytes, so an unchanged tree gives
/// the same stream apart from modification times. Symlinks are stored as links and never
/// followed; sockets, FIFOs and devices are skipped with a warning. Files are read with
/// `read(2)` into one buffer of `chunkSize` bytes; the tar leaves through the sink in chunks of
/// that size, so memory does not grow with file sizes. All file system calls run on the actor's
/// own serial queue, never on the cooperative pool.
///
/// Hard links are archived as separate copies, sparse files with their holes as zeros, and
/// ownership numerically (names are left empty).
///
/// ```swift
/// let options = ArchiveOptions(excludes: ["*.tmp"])
/// let archiver = DirectoryArchiver(root: "/srv/app/data", options: options, logger: logger)
/// let summary = try await archiver.archive { chunk in try await upload.write(chunk) }
/// // summary.tree.fileCount, summary.tree.digest, summary.warnings
/// ```
public actor DirectoryArchiver {
    private let executor = DispatchQueueExecutor(label: "phoenix.sources.directory.archiver")
    let root: String
    let options: ArchiveOptions
    let excludes: ExcludeMatcher
    let logger: Logger

    /// The serial queue that keeps blocking file I/O off the cooperative pool.
    public nonisolated var unownedExecutor: UnownedSerialExecutor {
        executor.asUnownedSerialExecutor()
    }

    /// Creates an archiver for the folder at `root` (a symlink to a folder is followed only here).
    public init(root: String, options: ArchiveOptions = ArchiveOptions(), logger: Logger) {
        self.root = root
        self.options = options
        self.excludes = ExcludeMatcher(options.excludes)
        var logger = logger
        logger[metadataKey: LogKeys.sourceKind] = "directory"
        logger[metadataKey: LogKeys.sourcePath] = "\(root)"
        self.logger = logger
    }

    /// Streams the tree as a tar archive into `sink`.
    /// - Parameter sink: Receives chunks of `options.chunkSize` bytes (the last one shorter), in
    ///   order; the archiver waits for it before reading further (back-pressure).
    /// - Returns: Record count, file bytes, digest, archive size and warnings.
    /// - Throws: `DirectorySourceError` (root missing, unreadable file), `CancellationError`,
    ///   or what `sink` throws. The stream is then incomplete and must be discarded.
    public func archive(
        into sink: @escaping @Sendable (_ chunk: [UInt8]) async throws -> Void
    ) async throws -> ArchiveSummary {
        logger.debug("archive started")
        let rootDescriptor = try OwnedDescriptor.open(root, at: AT_FDCWD, flags: O_RDONLY | O_DIRECTORY, path: root)
        let writer = TarWriter(chunkSize: options.chunkSize, sink: sink)
        var run = ArchiveRun(writer: writer, bufferSize: options.chunkSize)
        var stack = [try frame(for: rootDescriptor, path: "", run: &run)]
        while !stack.isEmpty {
            try Task.checkCancellation()
            let top = stack.count - 1
            guard stack[top].index < stack[top].names.count else {
                stack.removeLast()
                continue
            }
            let name = stack[top].names[stack[top].index]
            stack[top].index += 1
            let path = stack[top].path.isEmpty ? name : stack[top].path + "/" + name
            if excludes.excludes(path) {
                logger.trace("entry excluded", metadata: [LogKeys.entryPath: "\(path)"])
                continue
            }
            if let child = try await archiveEntry(name, path: path, in: stack[top].descriptor, run: &run) {
                stack.append(child)
            }
        }
        try await run.writer.finish()
        let summary = ArchiveSummary(
            tree: run.digest.summary(), archiveBytes: run.writer.bytesWritten, warnings: run.warnings)
        logger.debug("archive finished", metadata: [
            LogKeys.fileCount: "\(summary.tree.fileCount)", LogKeys.archiveBytes: "\(summary.archiveBytes)",
        ])
        return summary
    }

    /// A folder being walked: its open descriptor and the names still to visit.
    struct Frame {
        let descriptor: OwnedDescriptor
        let path: String
        let names: [String]
        var index = 0
    }

    /// State of one `archive(into:)` call.
    struct ArchiveRun {
        var writer: TarWriter
        var digest = TreeDigest()
        var warnings: [ArchiveWarning] = []
        /// The one read buffer, reused for every file.
        var buffer: [UInt8]

        init(writer: TarWriter, bufferSize: Int) {
            self.writer = writer
            let range = TarWriter.chunkSizeRange
            self.buffer = [UInt8](repeating: 0, count: min(max(bufferSize, range.lowerBound), range.upperBound))
        }
    }

    /// Lists an opened folder, recording undecodable names as warnings.
    func frame(
        for descriptor: OwnedDescriptor, path: String, run: inout ArchiveRun
    ) throws(DirectorySourceError) -> Frame {
        let listing = try DirectoryListing.names(of: descriptor, path: path.isEmpty ? root : path)
        for name in listing.undecodable {
            warn(ArchiveWarning(path: path.isEmpty ? name : path + "/" + name, kind: .undecodableName), into: &run)
        }
        return Frame(descriptor: descriptor, path: path, names: listing.names)
    }

    func warn(_ warning: ArchiveWarning, into run: inout ArchiveRun) {
        logger.debug("entry not archived exactly", metadata: [
            LogKeys.entryPath: "\(warning.path)", LogKeys.warningKind: "\(warning.kind.rawValue)",
        ])
        run.warnings.append(warning)
    }
}
