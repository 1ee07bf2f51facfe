/// Every log metadata key the Directory source writes (STYLE.md: lowercase, dotted, listed in
/// one place). Merge into the module's `LogKeys` if PhoenixSources already has one.
enum LogKeys {
    /// Always `"directory"` for this source.
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
}
