import Glibc

/// A restored file while its content arrives: written under a temporary name in its final
/// folder and renamed into place only when complete, so a failed or cancelled restore never
/// leaves a truncated file under the real name. The temporary file is removed in `deinit`
/// unless it was committed.
final class PendingFile {
    let path: String
    private let name: String
    private let folder: OwnedDescriptor
    private let temporaryName: String
    private let descriptor: OwnedDescriptor
    private var isCommitted = false

    /// Creates the temporary file (mode 0600 until `commit`).
    init(name: String, in folder: OwnedDescriptor, path: String) throws(DirectorySourceError) {
        self.name = name
        self.folder = folder
        self.path = path
        // A short fixed-length name: `name` may already be at NAME_MAX (255 bytes).
        let temporaryName = ".phx-restore-\(String(UInt64.random(in: 0...UInt64.max), radix: 16)).tmp"
        self.temporaryName = temporaryName
        descriptor = try OwnedDescriptor.open(
            temporaryName, at: folder.raw, flags: O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode: 0o600, path: path)
    }

    deinit {
        if !isCommitted { _ = unlinkat(folder.raw, temporaryName, 0) }
    }

    /// Appends `bytes`, looping over short writes.
    func write(_ bytes: ArraySlice<UInt8>) throws(DirectorySourceError) {
        var rest = bytes
        while !rest.isEmpty {
            let written = try SystemCall.retrying("write", path: path) {
                rest.withUnsafeBytes { Glibc.write(descriptor.raw, $0.baseAddress, $0.count) }
            }
            rest = rest.dropFirst(written)
        }
    }

    /// Sets mode and time, then moves the file to its real name.
    /// - Parameter replacing: Replace an existing file or symlink; otherwise an existing entry
    ///   makes this throw `.alreadyExists` (checked atomically with `linkat`).
    func commit(mode: UInt32, modificationTime: Int64, replacing: Bool) throws(DirectorySourceError) {
        let fd = descriptor.raw
        try SystemCall.retrying("fchmod", path: path) { fchmod(fd, mode_t(mode & 0o7777)) }
        var times = SystemCall.times(modificationTime)
        try SystemCall.retrying("futimens", path: path) { futimens(fd, &times) }
        if replacing {
            try SystemCall.retrying("renameat", path: path) { renameat(folder.raw, temporaryName, folder.raw, name) }
        } else {
            try linkWithoutReplacing()
        }
        isCommitted = true
    }

    /// `linkat` fails with EEXIST instead of replacing, unlike `rename`; the temporary name is
    /// then removed. File systems without hard links get a check followed by `renameat`.
    private func linkWithoutReplacing() throws(DirectorySourceError) {
        if linkat(folder.raw, temporaryName, folder.raw, name, 0) == 0 {
            _ = unlinkat(folder.raw, temporaryName, 0)
            return
        }
        let code = errno
        if code == EEXIST { throw .alreadyExists(path: path) }
        guard code == EPERM || code == EOPNOTSUPP || code == ENOSYS else {
            throw .system(operation: "linkat", path: path, errno: code)
        }
        guard try SystemCall.status(of: name, at: folder.raw, path: path) == nil else { throw .alreadyExists(path: path) }
        try SystemCall.retrying("renameat", path: path) { renameat(folder.raw, temporaryName, folder.raw, name) }
    }
}
