import Glibc
import PhoenixDomain
import Synchronization

/// One object being read from a `LocalStore`, a piece at a time on its own queue.
final class LocalDownload: ObjectDownload {
    private let key: String
    private let io = BlockingIO(label: "phoenix.store.download")
    private let fd: Mutex<Int32?>

    private init(key: String, fd: Int32) {
        self.key = key
        self.fd = Mutex(fd)
    }

    static func open(root: String, key: String) async throws -> LocalDownload {
        let fd = try await BlockingIO(label: "phoenix.store.download").run { () throws -> Int32 in
            try openWithoutFollowingLinks(root: root, key: key)
        }
        return LocalDownload(key: key, fd: fd)
    }

    /// Opens `key` one folder at a time with `O_NOFOLLOW`, so a symbolic link planted anywhere in
    /// the store cannot lead a read outside it.
    private static func openWithoutFollowingLinks(root: String, key: String) throws -> Int32 {
        var folder = Glibc.open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard folder >= 0 else { throw BlockingIO.failure("open", "read \(key)") }
        defer { Glibc.close(folder) }
        let segments = key.split(separator: "/").map(String.init)
        for segment in segments.dropLast() {
            let next = openat(folder, segment, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard next >= 0 else { throw missingOrFailure(key) }
            Glibc.close(folder)
            folder = next
        }
        let fd = openat(folder, segments.last ?? "", O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw missingOrFailure(key) }
        return fd
    }

    /// ENOENT, ENOTDIR and ELOOP (a link where a folder or file should be) all mean "no such object".
    private static func missingOrFailure(_ key: String) -> StoreError {
        if errno == ENOENT || errno == ENOTDIR || errno == ELOOP { return StoreError(.notFound, "no object \(key)") }
        return BlockingIO.failure("open", "read \(key)")
    }

    func read(maxCount: Int) async throws -> [UInt8] {
        guard let fd = fd.withLock({ $0 }) else { return [] }
        let key = key
        return try await io.run { () throws -> [UInt8] in
            var buffer = [UInt8](repeating: 0, count: max(1, maxCount))
            while true {
                let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
                if count < 0 {
                    if errno == EINTR { continue }
                    throw BlockingIO.failure("read", "read \(key)")
                }
                buffer.removeSubrange(count...)
                return buffer
            }
        }
    }

    func close() async {
        guard let fd = fd.withLock({ current in defer { current = nil }; return current }) else { return }
        _ = try? await io.run { () throws in _ = Glibc.close(fd) }
    }

    deinit {
        if let fd = fd.withLock({ $0 }) { Glibc.close(fd) }
    }
}
