import Glibc

/// Reads a folder's names in a stable order: by their UTF-8 bytes, so the same tree always gives
/// the same stream whatever order the file system returns.
enum DirectoryListing {
    /// The names in `directory` without `.` and `..`.
    /// - Returns: Sorted UTF-8 names, and (lossily decoded) names that are not UTF-8.
    /// - Throws: `.system` when the folder cannot be read.
    static func names(
        of directory: OwnedDescriptor, path: String
    ) throws(DirectorySourceError) -> (names: [String], undecodable: [String]) {
        // fdopendir takes over the descriptor it is given; hand it a duplicate so the caller's
        // OwnedDescriptor stays the single owner of the original.
        let copy = try SystemCall.retrying("dup", path: path) { dup(directory.raw) }
        guard let stream = fdopendir(copy) else {
            let code = errno
            _ = close(copy)
            throw .system(operation: "fdopendir", path: path, errno: code)
        }
        defer { closedir(stream) }
        var names: [String] = []
        var undecodable: [String] = []
        while true {
            errno = 0
            guard let record = readdir(stream) else {
                let code = errno
                guard code == 0 else { throw .system(operation: "readdir", path: path, errno: code) }
                break
            }
            let bytes = withUnsafeBytes(of: record.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            if bytes == [UInt8(ascii: ".")] || bytes == [UInt8(ascii: "."), UInt8(ascii: ".")] { continue }
            if let name = String(validating: bytes, as: UTF8.self) {
                names.append(name)
            } else {
                undecodable.append(String(decoding: bytes, as: UTF8.self))
            }
        }
        names.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return (names, undecodable.sorted())
    }
}
