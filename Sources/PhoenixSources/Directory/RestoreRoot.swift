import Glibc

/// The restore target, reached only through descriptors: every folder on the way to an entry
/// is opened with `O_NOFOLLOW | O_DIRECTORY` relative to its parent, so no symlink, whether
/// restored earlier or already on disk, is ever followed, and nothing lands outside the root.
final class RestoreRoot {
    let descriptor: OwnedDescriptor
    /// The last parent folder opened, since archives list a folder's entries together.
    private var cached: (components: ArraySlice<String>, descriptor: OwnedDescriptor)?

    init(path: String) throws(DirectorySourceError) {
        descriptor = try OwnedDescriptor.open(path, at: AT_FDCWD, flags: O_RDONLY | O_DIRECTORY, path: path)
    }

    /// The folder that holds `components.last`, creating missing folders on the way.
    /// - Throws: `.unsafePath(.throughSymlink)` when a component is a symlink, `.alreadyExists`
    ///   when it is something else that is not a folder.
    func parent(of components: [String]) throws(DirectorySourceError) -> OwnedDescriptor {
        try folder(components.dropLast(), create: true)
    }

    /// Opens the folder at `components` without creating anything.
    func folder(_ components: ArraySlice<String>, create: Bool = false) throws(DirectorySourceError) -> OwnedDescriptor {
        if components.isEmpty { return descriptor }
        if let cached, cached.components == components { return cached.descriptor }
        var current = descriptor
        for index in components.indices {
            let path = components[...index].joined(separator: "/")
            current = try openFolder(components[index], in: current, path: path, create: create)
        }
        cached = (components, current)
        return current
    }

    private func openFolder(
        _ name: String, in parent: OwnedDescriptor, path: String, create: Bool
    ) throws(DirectorySourceError) -> OwnedDescriptor {
        let flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW
        do throws(DirectorySourceError) {
            return try OwnedDescriptor.open(name, at: parent.raw, flags: flags, path: path)
        } catch {
            guard case .system(_, _, let code) = error else { throw error }
            if code == ENOENT, create {
                // Folders the archive implies but does not list: mode 0755 before the umask.
                let made = mkdirat(parent.raw, name, 0o755)
                let mkdirError = errno
                guard made == 0 || mkdirError == EEXIST else {
                    throw .system(operation: "mkdirat", path: path, errno: mkdirError)
                }
                return try OwnedDescriptor.open(name, at: parent.raw, flags: flags, path: path)
            }
            guard code == ELOOP || code == ENOTDIR else { throw error }
            let info = try SystemCall.status(of: name, at: parent.raw, path: path)
            if let info, SystemCall.type(info) == S_IFLNK { throw .unsafePath(path: path, reason: .throughSymlink) }
            throw .alreadyExists(path: path)
        }
    }
}
