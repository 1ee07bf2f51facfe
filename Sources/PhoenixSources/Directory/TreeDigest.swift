import PhoenixCrypto

/// The order-independent content digest of a tree of files, directories and symlinks.
///
/// Definition (stable: stored digests are compared against it):
/// 1. One line per entry, the root itself excluded:
///    - regular file: `f <path> <size> <sha256 of content>\n`
///    - directory:    `d <path> 0 -\n`
///    - symlink:      `l <path> <byte length of target> <sha256 of target's UTF-8 bytes>\n`
///    Sizes are decimal; hashes are 64 lowercase hex digits.
/// 2. `<path>` is relative to the root, `/`-separated, without `./`, leading or trailing
///    slashes, in UTF-8, with each byte below 0x21 (controls, space), `%` and 0x7F written as
///    `%XX` (uppercase hex), so a line can neither be split nor forged by a file name.
/// 3. The lines are sorted by their UTF-8 bytes (unsigned, shorter prefix first).
/// 4. The digest is SHA-256 over the concatenated sorted lines, as lowercase hex
///    (an empty tree gives `e3b0c442…b855`, the hash of no bytes).
///
/// Modes, times and owners are not part of it: a restore is checked for content, and the same
/// tree backed up twice gives the same digest. Lines are kept until `summary()`, about 100 bytes
/// plus the path per entry.
public struct TreeDigest: Sendable {
    private var lines: [[UInt8]] = []
    /// Regular files added so far.
    public private(set) var fileCount = 0
    /// Content bytes of the regular files added so far.
    public private(set) var fileBytes: Int64 = 0

    /// An empty digest.
    public init() {}

    /// Adds a regular file with the SHA-256 of its content.
    public mutating func addFile(path: String, size: Int64, contentSHA256: [UInt8]) {
        fileCount += 1
        fileBytes += size
        append("f", path, "\(size) \(Hex.encode(contentSHA256))")
    }

    /// Adds a directory.
    public mutating func addDirectory(path: String) {
        append("d", path, "0 -")
    }

    /// Adds a symbolic link with its target, which is hashed, never resolved.
    public mutating func addSymlink(path: String, target: String) {
        append("l", path, "\(target.utf8.count) \(SHA256.hex(Array(target.utf8)))")
    }

    /// The summary over everything added.
    public func summary() -> TreeSummary {
        let hasher = ContentHasher()
        for line in lines.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            hasher.update(line[...])
        }
        return TreeSummary(fileCount: fileCount, fileBytes: fileBytes, digest: Hex.encode(hasher.finalize()))
    }

    /// `path` with the bytes that could break a line escaped (rule 2 above).
    static func escaped(_ path: String) -> [UInt8] {
        let digits = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in path.utf8 {
            if byte < 0x21 || byte == UInt8(ascii: "%") || byte == 0x7F {
                out += [UInt8(ascii: "%"), digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]
            } else {
                out.append(byte)
            }
        }
        return out
    }

    private mutating func append(_ type: String, _ path: String, _ rest: String) {
        lines.append(Array(type.utf8) + [UInt8(ascii: " ")] + Self.escaped(path) + Array(" \(rest)\n".utf8))
    }
}
