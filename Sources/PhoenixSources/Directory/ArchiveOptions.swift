/// How `DirectoryArchiver` walks and chunks a tree.
public struct ArchiveOptions: Sendable {
    /// Patterns of paths to leave out (with everything beneath them), in `fnmatch(3)` syntax.
    /// A pattern without `/` matches a name at any depth (`*.tmp`, `.cache`); one with `/` matches
    /// the whole path relative to the root, `*` not crossing `/` (`var/log/*.gz`, `build/*`).
    public var excludes: [String]
    /// Bytes per sink call and per `read(2)`, clamped to `TarWriter.chunkSizeRange`.
    public var chunkSize: Int
    /// Test seam: called on the archiver's queue after each `read(2)` of a regular file, with the
    /// path and the bytes read so far, so tests can change a file mid-read deterministically.
    var readObserver: (@Sendable (_ path: String, _ bytesRead: Int64) -> Void)?

    /// Creates options.
    public init(excludes: [String] = [], chunkSize: Int = TarWriter.defaultChunkSize) {
        self.excludes = excludes
        self.chunkSize = chunkSize
    }
}
