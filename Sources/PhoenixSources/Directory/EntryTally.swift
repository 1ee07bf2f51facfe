/// Feeds reader events into a `TreeDigest` after the path checks of `EntryPathPolicy`: the part
/// of a restore and of a verification that must agree exactly with the archiver.
struct EntryTally {
    /// The entry being read, with its normalised path.
    struct Current {
        let entry: TarEntry
        let components: [String]
        var path: String { components.joined(separator: "/") }
    }

    private var policy = EntryPathPolicy()
    private(set) var digest = TreeDigest()
    private(set) var current: Current?
    private var hasher: ContentHasher?

    /// Starts an entry. Returns nil for the root directory entry, which is not counted.
    mutating func begin(_ entry: TarEntry) throws(DirectorySourceError) -> Current? {
        guard let components = try policy.admit(entry) else {
            current = nil
            return nil
        }
        let started = Current(entry: entry, components: components)
        current = started
        hasher = entry.kind == .file ? ContentHasher() : nil
        return started
    }

    /// Adds a piece of the current file's content.
    func content(_ bytes: ArraySlice<UInt8>) {
        hasher?.update(bytes)
    }

    /// Ends the current entry and records its digest line.
    mutating func end() {
        defer { current = nil; hasher = nil }
        guard let current else { return }
        switch current.entry.kind {
        case .file:
            // A file entry always has its hasher (see `begin`); an empty one stands for no content.
            digest.addFile(path: current.path, size: current.entry.size, contentSHA256: (hasher ?? ContentHasher()).finalize())
        case .directory: digest.addDirectory(path: current.path)
        case .symlink: digest.addSymlink(path: current.path, target: current.entry.linkTarget)
        }
    }
}
