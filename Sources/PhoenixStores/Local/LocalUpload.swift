import FoundationEssentials
import Glibc
import PhoenixDomain
import Synchronization

/// One object being written to a `LocalStore`: a hidden temporary file, renamed into place by
/// `complete()` after fsync, deleted by `abort()` or when released unfinished.
final class LocalUpload: ObjectUpload {
    private let key: String
    private let target: String
    private let temporary: String
    private let folder: String
    private let io = BlockingIO(label: "phoenix.store.upload")
    /// The open descriptor, nil once completed or aborted.
    private let fd: Mutex<Int32?>
    private let progress = UploadProgress()

    private init(key: String, target: String, temporary: String, folder: String, fd: Int32) {
        self.key = key
        self.target = target
        self.temporary = temporary
        self.folder = folder
        self.fd = Mutex(fd)
    }

    /// Creates the key's folders and the temporary file (mode 0600: artifacts are encrypted, but
    /// manifests and plain tiers need not be readable by others).
    static func start(root: String, key: String) async throws -> LocalUpload {
        let target = root + "/" + key
        let folder = String(target[..<(target.lastIndex(of: "/") ?? target.startIndex)])
        let name = String(target[target.index(after: target.lastIndex(of: "/") ?? target.startIndex)...])
        let temporary = folder + "/." + name + ".tmp-" + UUID().uuidString.lowercased()
        let fd = try await BlockingIO(label: "phoenix.store.upload").run { () throws -> Int32 in
            try makeFolders(folder, key: key)
            let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw BlockingIO.failure("open", "write \(key)") }
            return fd
        }
        return LocalUpload(key: key, target: target, temporary: temporary, folder: folder, fd: fd)
    }

    func write(_ bytes: [UInt8]) async throws {
        guard let fd = fd.withLock({ $0 }) else { throw StoreError(.io, "the upload of \(key) has already ended") }
        let (key, progress) = (key, progress)
        try await io.run {
            let failure = bytes.withUnsafeBytes { raw -> StoreError? in
                var offset = 0
                while offset < raw.count {
                    let count = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                    if count < 0 {
                        if errno == EINTR { continue }
                        return BlockingIO.failure("write", "write \(key)")
                    }
                    offset += count
                }
                return nil
            }
            if let failure { throw failure }
            // On the upload's queue, in order with the writes and before complete()'s work.
            progress.advance(by: bytes.count)
        }
    }

    func follow() async throws -> (any ObjectDownload)? {
        guard fd.withLock({ $0 }) != nil else { throw StoreError(.io, "the upload of \(key) has already ended") }
        let (key, temporary) = (key, temporary)
        let reader = try await io.run { () throws -> Int32 in
            let reader = open(temporary, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
            guard reader >= 0 else { throw BlockingIO.failure("open", "read \(key)") }
            return reader
        }
        return LocalFollower(key: key, target: target, progress: progress, fd: reader)
    }

    func complete() async throws -> StoredObject {
        guard let fd = fd.withLock({ current in defer { current = nil }; return current }) else {
            throw StoreError(.io, "the upload of \(key) has already ended")
        }
        let (key, target, temporary, folder) = (key, target, temporary, folder)
        do {
            try await io.run { () throws in
                guard fsync(fd) == 0 else {
                    let failure = BlockingIO.failure("fsync", "write \(key)")
                    close(fd)
                    throw failure
                }
                close(fd)
                guard rename(temporary, target) == 0 else { throw BlockingIO.failure("rename", "write \(key)") }
                // The rename is durable only once the folder's entry is on disk.
                let directory = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                guard directory >= 0 else { throw BlockingIO.failure("open", "write \(key)") }
                defer { close(directory) }
                guard fsync(directory) == 0 else { throw BlockingIO.failure("fsync", "write \(key)") }
            }
        } catch {
            unlink(temporary)
            progress.end(.aborted)
            throw error
        }
        progress.end(.completed)
        return StoredObject(key: key, size: progress.written)
    }

    func abort() async {
        guard let fd = fd.withLock({ current in defer { current = nil }; return current }) else { return }
        progress.end(.aborted)
        let temporary = temporary
        _ = try? await io.run { () throws in
            close(fd)
            unlink(temporary)
        }
    }

    deinit {
        // Released without complete() or abort(): the temporary file must not stay behind.
        if let fd = fd.withLock({ $0 }) {
            close(fd)
            unlink(temporary)
        }
        progress.end(.aborted)
    }

    /// `mkdir -p` for the object's folder.
    private static func makeFolders(_ folder: String, key: String) throws(StoreError) {
        var path = ""
        for segment in folder.split(separator: "/", omittingEmptySubsequences: false) {
            path += (path.isEmpty && segment.isEmpty) ? "/" : (path.isEmpty || path == "/" ? "" : "/") + segment
            guard !segment.isEmpty else { continue }
            if mkdir(path, 0o750) != 0 && errno != EEXIST { throw BlockingIO.failure("mkdir", "write \(key)") }
        }
    }
}
