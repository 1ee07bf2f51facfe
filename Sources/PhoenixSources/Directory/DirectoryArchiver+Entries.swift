import Glibc

extension DirectoryArchiver {
    /// Archives one name found in `directory`.
    /// - Returns: A frame to descend into when the entry is a folder.
    func archiveEntry(
        _ name: String, path: String, in directory: OwnedDescriptor, run: inout ArchiveRun
    ) async throws -> Frame? {
        guard let info = try SystemCall.status(of: name, at: directory.raw, path: path) else {
            warn(ArchiveWarning(path: path, kind: .vanished), into: &run)
            return nil
        }
        switch SystemCall.type(info) {
        case S_IFDIR:
            return try await archiveDirectory(name, path: path, in: directory, run: &run)
        case S_IFREG:
            try await archiveFile(name, path: path, in: directory, run: &run)
        case S_IFLNK:
            try await archiveSymlink(name, path: path, in: directory, info: info, run: &run)
        default:
            warn(ArchiveWarning(path: path, kind: .skippedSpecialFile, detail: Self.specialKind(info)), into: &run)
        }
        return nil
    }

    private func archiveDirectory(
        _ name: String, path: String, in directory: OwnedDescriptor, run: inout ArchiveRun
    ) async throws -> Frame? {
        // O_NOFOLLOW: a folder swapped for a symlink since fstatat is not entered.
        let flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW
        guard let descriptor = try openOrWarn(name, path: path, in: directory, flags: flags, run: &run) else { return nil }
        let info = try descriptor.status(path: path)
        try await run.writer.writeHeader(Self.entry(.directory, path: path, info: info))
        run.digest.addDirectory(path: path)
        return try frame(for: descriptor, path: path, run: &run)
    }

    private func archiveSymlink(
        _ name: String, path: String, in directory: OwnedDescriptor, info: stat, run: inout ArchiveRun
    ) async throws {
        // Linux link targets are at most PATH_MAX - 1 bytes; a full buffer would mean truncation.
        var target = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length: Int
        do throws(DirectorySourceError) {
            length = try SystemCall.retrying("readlinkat", path: path) {
                readlinkat(directory.raw, name, &target, target.count)
            }
        } catch {
            // ENOENT: removed; EINVAL: no longer a symlink. Either way it changed under us.
            guard case .system(_, _, let code) = error, code == ENOENT || code == EINVAL else { throw error }
            warn(ArchiveWarning(path: path, kind: .vanished), into: &run)
            return
        }
        let bytes = target[..<length].map { UInt8(bitPattern: $0) }
        guard length < target.count, let text = String(validating: bytes, as: UTF8.self) else {
            warn(ArchiveWarning(path: path, kind: .undecodableName, detail: "link target"), into: &run)
            return
        }
        var entry = Self.entry(.symlink, path: path, info: info)
        entry.linkTarget = text
        try await run.writer.writeHeader(entry)
        run.digest.addSymlink(path: path, target: text)
    }

    /// Opens `name`, or records a `.vanished` warning when it is gone or was swapped for a
    /// symlink (ELOOP under O_NOFOLLOW) or another type (ENOTDIR) since it was listed.
    func openOrWarn(
        _ name: String, path: String, in directory: OwnedDescriptor, flags: Int32, run: inout ArchiveRun
    ) throws(DirectorySourceError) -> OwnedDescriptor? {
        do throws(DirectorySourceError) {
            return try OwnedDescriptor.open(name, at: directory.raw, flags: flags, path: path)
        } catch {
            guard case .system(_, _, let code) = error, [ENOENT, ELOOP, ENOTDIR].contains(code) else { throw error }
            warn(ArchiveWarning(path: path, kind: .vanished), into: &run)
            return nil
        }
    }

    /// The tar entry for what `stat` says; owner names stay empty (no user database lookups).
    static func entry(_ kind: TarEntry.Kind, path: String, info: stat) -> TarEntry {
        TarEntry(
            kind: kind, path: path, size: kind == .file ? Int64(info.st_size) : 0,
            mode: UInt32(info.st_mode) & 0o7777, modificationTime: Int64(info.st_mtim.tv_sec),
            userID: Int(info.st_uid), groupID: Int(info.st_gid))
    }

    private static func specialKind(_ info: stat) -> String {
        switch SystemCall.type(info) {
        case S_IFIFO: "fifo"
        case S_IFSOCK: "socket"
        case S_IFCHR: "character device"
        case S_IFBLK: "block device"
        default: "unknown type"
        }
    }
}
