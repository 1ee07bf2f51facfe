import Glibc

/// Whole-file reads for test checks, with plain `read(2)`: Foundation's `Data(contentsOf:)`
/// leaks a buffer on empty files (seen under LeakSanitizer with Swift 6.3.1 on Linux).
enum FileBytes {
    static func read(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ReadError(path: path, errno: errno) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            guard count >= 0 else { throw ReadError(path: path, errno: errno) }
            if count == 0 { return bytes }
            bytes += buffer[0..<count]
        }
    }

    struct ReadError: Error {
        let path: String
        let errno: Int32
    }
}
