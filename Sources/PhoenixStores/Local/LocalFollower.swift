import Glibc
import PhoenixDomain
import Synchronization

/// Reads a local upload's temporary file while it is written (`LocalUpload.follow()`): each
/// read waits until bytes beyond what it has read are written, and once the upload completed
/// and everything is read, it checks that the file now under the key is the one it read (the
/// same inode, of the same size) before it reports the end.
final class LocalFollower: ObjectDownload {
    private let key: String
    private let target: String
    private let progress: UploadProgress
    private let io = BlockingIO(label: "phoenix.store.follow")
    private let fd: Mutex<Int32?>
    /// Bytes read so far; reads come from one task at a time.
    private let offset = Atomic<Int64>(0)

    init(key: String, target: String, progress: UploadProgress, fd: Int32) {
        self.key = key
        self.target = target
        self.progress = progress
        self.fd = Mutex(fd)
    }

    func read(maxCount: Int) async throws -> [UInt8] {
        guard let fd = fd.withLock({ $0 }) else { return [] }
        let offset = offset.load(ordering: .relaxed)
        let (written, end) = try await progress.wait(beyond: offset)
        if end == .aborted { throw StoreError(.io, "the upload of \(key) was abandoned") }
        let key = key
        if written > offset {
            let wanted = Int(min(Int64(max(1, maxCount)), written - offset))
            let bytes = try await io.run { () throws -> [UInt8] in
                try Self.read(fd, count: wanted, at: offset, key: key)
            }
            self.offset.store(offset + Int64(bytes.count), ordering: .relaxed)
            return bytes
        }
        guard end == .completed else { throw StoreError(.io, "the upload of \(key) has not ended") }
        let target = target
        try await io.run { () throws in try Self.checkIsObject(fd, target: target, size: written, key: key) }
        return []
    }

    func close() async {
        guard let fd = fd.withLock({ current in defer { current = nil }; return current }) else { return }
        _ = try? await io.run { () throws in _ = Glibc.close(fd) }
    }

    deinit {
        if let fd = fd.withLock({ $0 }) { Glibc.close(fd) }
    }

    /// `count` bytes at `offset`, which the upload has reported written.
    private static func read(_ fd: Int32, count: Int, at offset: Int64, key: String) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let got = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + filled, count - filled, off_t(offset) + off_t(filled)) }
            if got < 0 {
                if errno == EINTR { continue }
                throw BlockingIO.failure("pread", "read \(key)")
            }
            if got == 0 { throw StoreError(.io, "\(key) holds fewer bytes than were written to it") }
            filled += got
        }
        return buffer
    }

    /// The file under the key is the one read, and holds exactly the bytes written.
    private static func checkIsObject(_ fd: Int32, target: String, size: Int64, key: String) throws {
        var read = stat()
        var stored = stat()
        guard fstat(fd, &read) == 0 else { throw BlockingIO.failure("fstat", "read \(key)") }
        guard lstat(target, &stored) == 0 else { throw BlockingIO.failure("lstat", "read \(key)") }
        guard stored.st_dev == read.st_dev, stored.st_ino == read.st_ino else {
            throw StoreError(.io, "\(key) is not the file that was written")
        }
        guard Int64(stored.st_size) == size else {
            throw StoreError(.io, "\(key) holds \(stored.st_size) bytes, not the \(size) written")
        }
    }
}
