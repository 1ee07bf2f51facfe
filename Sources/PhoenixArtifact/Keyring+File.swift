import Glibc

extension Keyring {
    /// Loads a keyring file (format: see `init(parsing:source:)`).
    ///
    /// Like OpenSSH with private keys, a file that group or others may read is refused: the
    /// keyring decrypts every backup. The file is opened once and checked with `fstat` on that
    /// descriptor, so it cannot be swapped between the check and the read.
    /// - Throws: `ArtifactError.keyringUnreadable`, `.keyringTooOpen`, `.keyringTooLarge`, or a parse error.
    public init(contentsOfFile path: String) throws(ArtifactError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)
        guard descriptor >= 0 else { throw .keyringUnreadable(path: path, reason: Self.reason(errno: errno)) }
        defer { close(descriptor) }

        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .keyringUnreadable(path: path, reason: Self.reason(errno: errno)) }
        // S_IFMT / S_IFREG from <sys/stat.h>, spelled out because their imported type is Int32.
        guard status.st_mode & 0o170000 == 0o100000 else {
            throw .keyringUnreadable(path: path, reason: "is not a regular file")
        }
        guard status.st_mode & 0o077 == 0 else { throw .keyringTooOpen(path: path, mode: status.st_mode & 0o7777) }
        guard status.st_size <= Self.maximumTextCount else { throw .keyringTooLarge(path: path) }

        let bytes = try Self.readAll(descriptor, path: path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .keyringUnreadable(path: path, reason: "is not UTF-8 text")
        }
        try self.init(parsing: text, source: .file(path: path))
    }

    /// Reads until end of file, at most `maximumTextCount` bytes (the file may grow after `fstat`).
    private static func readAll(_ descriptor: Int32, path: String) throws(ArtifactError) -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                throw .keyringUnreadable(path: path, reason: reason(errno: code))
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: buffer[..<count])
            guard bytes.count <= maximumTextCount else { throw .keyringTooLarge(path: path) }
        }
    }

    /// A short client-safe phrase for the errno values a keyring path commonly hits.
    private static func reason(errno code: Int32) -> String {
        switch code {
        case ENOENT: "does not exist"
        case EACCES, EPERM: "is not readable by this process (permission denied)"
        case EISDIR: "is a directory"
        case ENOTDIR: "has a path component that is not a directory"
        case ELOOP: "has too many symbolic links"
        default: "cannot be read (errno \(code))"
        }
    }
}
