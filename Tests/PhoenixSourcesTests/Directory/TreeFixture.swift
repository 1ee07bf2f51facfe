import FoundationEssentials
import Glibc

/// The round-trip tree: nested folders, an empty file and folder, a 5 MiB file, a 300-character
/// path, Unicode and awkward names, relative/absolute/dangling symlinks, modes and fixed times.
enum TreeFixture {
    /// A component of 90 characters: four of them plus a file name make a path over 300.
    static let longSegment = String(repeating: "l", count: 90)
    static let longPath = (1...3).map { "\(longSegment)\($0)" }.joined(separator: "/") + "/" + String(repeating: "f", count: 30) + ".txt"

    /// Builds the tree under `root` (which must exist and be empty).
    static func build(at root: String, largeFileSize: Int = 5 * 1024 * 1024) throws {
        try write("a/b/c/deep.txt", Array("deep\n".utf8), in: root)
        try write("a/b/sibling.txt", Array("sibling\n".utf8), in: root)
        try write("empty.txt", [], in: root)
        try write("big.bin", pseudoRandomBytes(count: largeFileSize), in: root)
        try write(longPath, Array("long path\n".utf8), in: root)
        try write("ünïcødé/日本語.txt", Array("unicode\n".utf8), in: root)
        try write("emoji-🦊.txt", Array("fox\n".utf8), in: root)
        try write("with space %25.txt", Array("space\n".utf8), in: root)
        try write("new\nline.txt", Array("newline\n".utf8), in: root)
        try write("script.sh", Array("#!/bin/sh\necho hi\n".utf8), in: root, mode: 0o755)
        try write("secret.key", Array("not really\n".utf8), in: root, mode: 0o600)
        try FileManager.default.createDirectory(atPath: root + "/void", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/private", withIntermediateDirectories: true)
        try write("private/inside.txt", Array("inside\n".utf8), in: root)
        try FileManager.default.createSymbolicLink(atPath: root + "/link-relative", withDestinationPath: "a/b/c/deep.txt")
        try FileManager.default.createSymbolicLink(atPath: root + "/link-absolute", withDestinationPath: "/etc/hostname")
        try FileManager.default.createSymbolicLink(atPath: root + "/a/link-dangling", withDestinationPath: "../nowhere")
        try setTime(-86_400, root + "/secret.key")  // before 1970: needs a PAX mtime
        try setTime(1_600_000_000, root + "/link-relative")
        guard chmod(root + "/private", 0o700) == 0, chmod(root + "/void", 0o750) == 0 else { throw FixtureError.failed("chmod") }
        try setTime(1_500_000_000, root + "/void")
    }

    /// Writes a file, creating its folders.
    static func write(_ relative: String, _ bytes: [UInt8], in root: String, mode: Int16 = 0o644) throws {
        let path = root + "/" + relative
        let folder = String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)])
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { throw FixtureError.failed(relative) }
        guard chmod(path, mode_t(mode)) == 0 else { throw FixtureError.failed("chmod") }
    }

    /// Sets a path's times without following a symlink.
    static func setTime(_ seconds: Int, _ path: String) throws {
        var times = [timespec(tv_sec: seconds, tv_nsec: 0), timespec(tv_sec: seconds, tv_nsec: 0)]
        guard utimensat(AT_FDCWD, path, &times, AT_SYMLINK_NOFOLLOW) == 0 else { throw FixtureError.failed("utimensat") }
    }

    /// Deterministic bytes (xorshift64), so failures reproduce.
    static func pseudoRandomBytes(count: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> [UInt8] {
        var state = seed
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { raw in
            var index = 0
            while index + 8 <= count {
                state ^= state << 13
                state ^= state >> 7
                state ^= state << 17
                raw.storeBytes(of: state, toByteOffset: index, as: UInt64.self)
                index += 8
            }
        }
        return bytes
    }

    enum FixtureError: Error { case failed(String) }
}
