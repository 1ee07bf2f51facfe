import Glibc

extension DirectoryExtractor {
    /// Acts on one reader event.
    func handle(_ event: TarReader.Event) throws(DirectorySourceError) {
        switch event {
        case .entry(let entry):
            guard let current = try tally.begin(entry) else { return }  // the root folder itself
            try create(current)
        case .content(let bytes):
            tally.content(bytes)
            try file?.write(bytes)
        case .entryEnd:
            if let file, let entry = tally.current?.entry {
                try file.commit(mode: entry.mode, modificationTime: entry.modificationTime, replacing: options.overwrite)
            }
            file = nil
            tally.end()
        case .end:
            break
        }
    }

    private func create(_ current: EntryTally.Current) throws(DirectorySourceError) {
        let entry = current.entry
        let path = current.path
        let parent = try root.parent(of: current.components)
        let name = current.components[current.components.count - 1]
        let existing = try SystemCall.status(of: name, at: parent.raw, path: path)
        let isFolder = existing.map { SystemCall.type($0) == S_IFDIR } ?? false
        switch entry.kind {
        case .directory:
            if existing != nil, !isFolder { try removeForOverwrite(name, in: parent, path: path) }
            if existing == nil || !isFolder {
                try SystemCall.retrying("mkdirat", path: path) { mkdirat(parent.raw, name, 0o700) }
            }
            folders.append(FolderAttributes(
                components: current.components, mode: entry.mode, modificationTime: entry.modificationTime))
        case .file:
            // Fail before receiving content; `commit` checks again atomically.
            if existing != nil, isFolder || !options.overwrite { throw .alreadyExists(path: path) }
            file = try PendingFile(name: name, in: parent, path: path)
        case .symlink:
            if existing != nil {
                guard !isFolder else { throw .alreadyExists(path: path) }
                try removeForOverwrite(name, in: parent, path: path)
            }
            try SystemCall.retrying("symlinkat", path: path) { symlinkat(entry.linkTarget, parent.raw, name) }
            try setTime(entry.modificationTime, of: name, in: parent, path: path)
        }
    }

    /// Removes the file or symlink at `name` when overwriting is allowed.
    private func removeForOverwrite(_ name: String, in parent: OwnedDescriptor, path: String) throws(DirectorySourceError) {
        guard options.overwrite else { throw .alreadyExists(path: path) }
        try SystemCall.retrying("unlinkat", path: path) { unlinkat(parent.raw, name, 0) }
    }

    /// Sets a symlink's own times (`AT_SYMLINK_NOFOLLOW`: never its target's).
    private func setTime(
        _ seconds: Int64, of name: String, in parent: OwnedDescriptor, path: String
    ) throws(DirectorySourceError) {
        var times = SystemCall.times(seconds)
        try SystemCall.retrying("utimensat", path: path) { utimensat(parent.raw, name, &times, AT_SYMLINK_NOFOLLOW) }
    }

    /// Applies folder modes and times, deepest first, after all content is in: writing into a
    /// folder changes its time, and a read-only mode would stop the writes.
    func applyFolderAttributes() throws(DirectorySourceError) {
        for folder in folders.sorted(by: { $0.components.count > $1.components.count }) {
            let path = folder.components.joined(separator: "/")
            let descriptor = try root.folder(folder.components[...])
            try SystemCall.retrying("fchmod", path: path) { fchmod(descriptor.raw, mode_t(folder.mode & 0o7777)) }
            var times = SystemCall.times(folder.modificationTime)
            try SystemCall.retrying("futimens", path: path) { futimens(descriptor.raw, &times) }
        }
        folders = []
    }
}
