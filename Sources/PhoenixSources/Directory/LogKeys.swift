/// Every log metadata key the sources write (STYLE.md: lowercase, dotted, listed in
/// one place).
enum LogKeys {
    /// `directory`, `vault`, `git`, ...
    static let sourceKind = "source.kind"
    /// The folder being archived or restored into.
    static let sourcePath = "source.path"
    /// A path inside the tree.
    static let entryPath = "entry.path"
    /// An `ArchiveWarning.Kind`.
    static let warningKind = "warning.kind"
    /// Regular files archived, restored or verified.
    static let fileCount = "file.count"
    /// Bytes of the tar stream.
    static let archiveBytes = "archive.bytes"
    /// The `DirectorySourceError` case or Swift type of a failure.
    static let errorType = "error.type"
    /// Bytes of a Vault raft snapshot taken or restored.
    static let snapshotBytes = "snapshot.bytes"
    /// Whether a Vault restore used `snapshot-force`.
    static let vaultForce = "vault.force"
    /// Refs in a git bundle.
    static let gitRefs = "git.refs"
}
