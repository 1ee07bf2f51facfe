import Glibc

/// A file descriptor with exactly one owner: closed once, in `deinit`.
///
/// Every open of the Directory source goes through `open(_:at:flags:mode:)`, which adds
/// `O_CLOEXEC` so a concurrently spawned process (a `tar` in tests, a hook in production) does
/// not inherit it.
final class OwnedDescriptor {
    let raw: Int32

    private init(raw: Int32) {
        self.raw = raw
    }

    deinit {
        // close(2): the descriptor is released even when close reports EINTR; never retry.
        _ = Glibc.close(raw)
    }

    /// `openat(2)` with `O_CLOEXEC`, retried on EINTR.
    /// - Parameter path: For errors and logs: the path as the caller knows it.
    /// - Throws: `.system("openat", …)` with the errno read straight after the call.
    static func open(
        _ name: String, at directory: Int32, flags: Int32, mode: mode_t = 0, path: String
    ) throws(DirectorySourceError) -> OwnedDescriptor {
        let fd = try SystemCall.retrying("openat", path: path) { openat(directory, name, flags | O_CLOEXEC, mode) }
        return OwnedDescriptor(raw: fd)
    }

    /// `fstat(2)` of this descriptor.
    func status(path: String) throws(DirectorySourceError) -> stat {
        var info = stat()
        _ = try SystemCall.retrying("fstat", path: path) { fstat(raw, &info) }
        return info
    }
}

/// Helpers that turn a failed system call into `DirectorySourceError.system`.
enum SystemCall {
    /// Runs `body` until it does not fail with EINTR.
    /// - Throws: `.system(operation, path, errno)` when it returns a negative value.
    @discardableResult
    static func retrying<Result: BinaryInteger>(
        _ operation: String, path: String, _ body: () -> Result
    ) throws(DirectorySourceError) -> Result {
        while true {
            let result = body()
            guard result < 0 else { return result }
            let code = errno  // read before anything else can overwrite it
            guard code == EINTR else { throw .system(operation: operation, path: path, errno: code) }
        }
    }

    /// `fstatat(2)` without following a final symlink; nil when nothing is there (ENOENT).
    static func status(of name: String, at directory: Int32, path: String) throws(DirectorySourceError) -> stat? {
        var info = stat()
        do {
            try retrying("fstatat", path: path) { fstatat(directory, name, &info, AT_SYMLINK_NOFOLLOW) }
        } catch {
            if case .system(_, _, ENOENT) = error { return nil }
            throw error
        }
        return info
    }

    /// Access and modification time both set to `seconds`, for `futimens`/`utimensat`.
    static func times(_ seconds: Int64) -> [timespec] {
        [timespec(tv_sec: Int(seconds), tv_nsec: 0), timespec(tv_sec: Int(seconds), tv_nsec: 0)]
    }

    /// The file type bits of a mode (`S_IFREG`, `S_IFDIR`, ...).
    static func type(_ info: stat) -> mode_t {
        info.st_mode & S_IFMT
    }
}
