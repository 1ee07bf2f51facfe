/// The result of `DirectoryArchiver.archive(into:)`.
public struct ArchiveSummary: Sendable, Hashable, Codable {
    /// Record count, file bytes and content digest: compare with a restore's or verifier's.
    public var tree: TreeSummary
    /// Bytes of the tar stream handed to the sink.
    public var archiveBytes: Int64
    /// Entries skipped or stored inexactly; the backup is complete apart from these.
    public var warnings: [ArchiveWarning]

    /// Creates a summary.
    public init(tree: TreeSummary, archiveBytes: Int64, warnings: [ArchiveWarning]) {
        self.tree = tree
        self.archiveBytes = archiveBytes
        self.warnings = warnings
    }
}

/// Something the archiver did not store exactly as found. `description` names the path and
/// the kind of problem, never content.
public struct ArchiveWarning: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The kinds of warning.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// A socket, FIFO or device: not archived (tar cannot restore them portably).
        case skippedSpecialFile
        /// The file changed while it was read. The archive holds exactly the size in its header:
        /// a file that shrank is zero-filled, one that grew is cut at the header size.
        case changedDuringRead
        /// The entry disappeared between listing its folder and opening it; not archived.
        case vanished
        /// The name is not valid UTF-8 and cannot be stored portably; not archived.
        case undecodableName
    }

    /// The path relative to the root (non-UTF-8 bytes replaced by U+FFFD).
    public var path: String
    /// What happened.
    public var kind: Kind
    /// A short fixed phrase with numbers only (`"fifo"`, `"size 300000 → 100000"`).
    public var detail: String

    /// Creates a warning.
    public init(path: String, kind: Kind, detail: String = "") {
        self.path = path
        self.kind = kind
        self.detail = detail
    }

    /// A client-safe sentence.
    public var description: String {
        let quoted = DirectorySourceError.quoted(path)
        return detail.isEmpty ? "\(kind.rawValue): \(quoted)" : "\(kind.rawValue): \(quoted) (\(detail))"
    }
}
