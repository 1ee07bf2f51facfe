/// How `DirectoryExtractor` treats what is already in the target folder.
public struct ExtractOptions: Sendable {
    /// Replace existing files and symlinks (never folders) at an entry's path. Off by default:
    /// a restore then fails with `.alreadyExists` rather than touch existing data. Existing
    /// folders are always merged into, so restoring into an empty, pre-created root works.
    public var overwrite: Bool
    /// Size limits for the tar reader.
    public var limits: TarReader.Limits

    /// Creates options.
    public init(overwrite: Bool = false, limits: TarReader.Limits = TarReader.Limits()) {
        self.overwrite = overwrite
        self.limits = limits
    }
}
