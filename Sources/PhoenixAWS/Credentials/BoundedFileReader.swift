import Glibc

/// Reads a whole small regular file, refusing anything else before reading a byte.
///
/// `Data(contentsOf:)` would follow a path to `/dev/zero` or a FIFO and read (or block) forever,
/// and a stat-then-read leaves a window for the file to grow. So: open without blocking, `fstat`
/// the open descriptor, check it is a regular file under the limit, and read at most limit + 1
/// bytes, which catches a file that grows after the check.
enum BoundedFileReader {
    /// The outcome when there is no file, which a caller usually treats as "no credentials here".
    enum Outcome {
        case contents([UInt8])
        case missing
    }

    /// The contents of `path` (read whole), or `.missing` if nothing is there.
    /// - Throws: `.credentialsFileRefused` for a non-regular or oversized file,
    ///   `.credentialsFileUnreadable` when the system refuses to read it.
    static func load(_ path: String, limit: Int) throws(AWSError) -> Outcome {
        // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer. No effect on files.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        if fd < 0 {
            let code = errno // read before anything else can overwrite it
            if code == ENOENT || code == ENOTDIR { return .missing }
            throw AWSError(.credentialsFileUnreadable, message: "open(\(path)): errno \(code)")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw AWSError(.credentialsFileUnreadable, message: "fstat(\(path)): errno \(errno)")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw AWSError(.credentialsFileRefused, "not a regular file", message: path)
        }
        guard info.st_size <= limit else {
            throw AWSError(.credentialsFileRefused, "larger than \(limit) bytes", message: "\(path): \(info.st_size) bytes")
        }
        return .contents(try readAll(fd, path: path, limit: limit))
    }

    private static func readAll(_ fd: Int32, path: String, limit: Int) throws(AWSError) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                throw AWSError(.credentialsFileUnreadable, message: "read(\(path)): errno \(code)")
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
            guard bytes.count <= limit else {
                throw AWSError(.credentialsFileRefused, "larger than \(limit) bytes", message: "\(path) grew while reading")
            }
        }
    }
}
