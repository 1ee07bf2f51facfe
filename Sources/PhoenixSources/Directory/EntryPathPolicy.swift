/// The path rules a restore and a verification share, checked before anything is written:
/// relative paths only, no `..`, nothing beneath an earlier symlink entry, no duplicates.
///
/// The extractor also opens every component with `O_NOFOLLOW`, so links already on disk are
/// never followed either; this check makes the verifier refuse the same archives a restore would.
struct EntryPathPolicy {
    private var symlinks: Set<String> = []
    private var seen: Set<String> = []

    /// Validates `entry` and returns its normalised components (`./a//b/` → `["a", "b"]`), or
    /// nil for the archive's root directory (`.` or `./`), which restores and digests skip.
    mutating func admit(_ entry: TarEntry) throws(DirectorySourceError) -> [String]? {
        let path = entry.path
        guard !path.isEmpty, !path.utf8.contains(0) else { throw .unsafePath(path: path, reason: .invalidName) }
        guard !path.hasPrefix("/") else { throw .unsafePath(path: path, reason: .absolute) }
        let components = path.split(separator: "/", omittingEmptySubsequences: true)
            .filter { $0 != "." }
            .map(String.init)
        guard !components.contains("..") else { throw .unsafePath(path: path, reason: .parentReference) }
        guard !components.isEmpty else {
            guard entry.kind == .directory else { throw .unsafePath(path: path, reason: .invalidName) }
            return nil
        }
        var prefix = ""
        for component in components.dropLast() {
            prefix += prefix.isEmpty ? component : "/" + component
            guard !symlinks.contains(prefix) else { throw .unsafePath(path: path, reason: .throughSymlink) }
        }
        let normalised = components.joined(separator: "/")
        guard seen.insert(normalised).inserted else { throw .duplicateEntry(path: normalised) }
        if entry.kind == .symlink { symlinks.insert(normalised) }
        return components
    }
}
