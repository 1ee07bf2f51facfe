import Glibc
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
/// tree backed up twice gives the same digest.
///
/// Entries are kept until `summary()`, compactly: in one shared buffer the sort key (type
/// letter, space, escaped path) and the binary SHA-256, beside it a 24-byte record with the
/// size; about 60 bytes plus the path per entry (a line of its own cost about 130).
///
/// Sorting the keys sorts the lines: two lines differ in their keys unless both have the same
/// type and path (then the whole lines are compared), and a key that is a prefix of another sorts
/// first, as its line does, because the space after it is below every escaped path byte.
public struct TreeDigest: Sendable {
    private struct Entry: Sendable {
        /// Where the key starts in `bytes`; the SHA-256 follows it unless `hasDigest` is false.
        var keyStart: Int
        var keyCount: Int32
        /// False for a directory, whose line ends `0 -`.
        var hasDigest: Bool
        var size: Int64
    }

    private var bytes: [UInt8] = []
    private var entries: [Entry] = []
    /// Regular files added so far.
    public private(set) var fileCount = 0
    /// Content bytes of the regular files added so far.
    public private(set) var fileBytes: Int64 = 0

    /// An empty digest.
    public init() {}

    /// Adds a regular file with the SHA-256 of its content.
    /// - Precondition: `contentSHA256` has 32 bytes.
    public mutating func addFile(path: String, size: Int64, contentSHA256: [UInt8]) {
        fileCount += 1
        fileBytes += size
        append("f", path, size: size, sha256: contentSHA256)
    }

    /// Adds a directory.
    public mutating func addDirectory(path: String) {
        append("d", path, size: 0, sha256: nil)
    }

    /// Adds a symbolic link with its target, which is hashed, never resolved.
    public mutating func addSymlink(path: String, target: String) {
        append("l", path, size: Int64(target.utf8.count), sha256: SHA256.digest(Array(target.utf8)))
    }

    /// The summary over everything added.
    public func summary() -> TreeSummary {
        let hasher = ContentHasher()
        bytes.withUnsafeBufferPointer { bytes in
            let order = entries.indices.sorted { Self.precedes(entries[$0], entries[$1], bytes: bytes) }
            var line: [UInt8] = []
            for index in order {
                line.removeAll(keepingCapacity: true)
                Self.render(entries[index], bytes: bytes, into: &line)
                hasher.update(line[...])
            }
        }
        return TreeSummary(fileCount: fileCount, fileBytes: fileBytes, digest: Hex.encode(hasher.finalize()))
    }

    /// `path` with the bytes that could break a line escaped (rule 2 above).
    static func escaped(_ path: String) -> [UInt8] {
        var out: [UInt8] = []
        appendEscaped(path, to: &out)
        return out
    }

    private static func appendEscaped(_ path: String, to out: inout [UInt8]) {
        for byte in path.utf8 {
            if byte < 0x21 || byte == UInt8(ascii: "%") || byte == 0x7F {
                out += [UInt8(ascii: "%"), hexDigitsUpper[Int(byte >> 4)], hexDigitsUpper[Int(byte & 0x0F)]]
            } else {
                out.append(byte)
            }
        }
    }

    private mutating func append(_ type: Unicode.Scalar, _ path: String, size: Int64, sha256: [UInt8]?) {
        let start = bytes.count
        bytes.append(UInt8(ascii: type))
        bytes.append(UInt8(ascii: " "))
        Self.appendEscaped(path, to: &bytes)
        let keyCount = bytes.count - start
        if let sha256 {
            precondition(sha256.count == 32, "a SHA-256 has 32 bytes")
            bytes.append(contentsOf: sha256)
        }
        entries.append(Entry(keyStart: start, keyCount: Int32(keyCount), hasDigest: sha256 != nil, size: size))
    }

    /// Whether `a`'s line sorts before `b`'s: by key, a shorter key first, and by the whole
    /// line only when the keys are equal (a path listed twice).
    private static func precedes(_ a: Entry, _ b: Entry, bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let common = Int(min(a.keyCount, b.keyCount))
        let order = memcmp(bytes.baseAddress! + a.keyStart, bytes.baseAddress! + b.keyStart, common)
        if order != 0 { return order < 0 }
        if a.keyCount != b.keyCount { return a.keyCount < b.keyCount }
        var lineA: [UInt8] = [], lineB: [UInt8] = []
        render(a, bytes: bytes, into: &lineA)
        render(b, bytes: bytes, into: &lineB)
        return lineA.lexicographicallyPrecedes(lineB)
    }

    /// `<key> <size> <sha256 or ->\n`.
    private static func render(_ entry: Entry, bytes: UnsafeBufferPointer<UInt8>, into line: inout [UInt8]) {
        let keyEnd = entry.keyStart + Int(entry.keyCount)
        line.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[entry.keyStart..<keyEnd]))
        line.append(UInt8(ascii: " "))
        line.append(contentsOf: String(entry.size).utf8)
        line.append(UInt8(ascii: " "))
        if entry.hasDigest {
            Hex.append(bytes[keyEnd..<(keyEnd + 32)], to: &line)
        } else {
            line.append(UInt8(ascii: "-"))
        }
        line.append(UInt8(ascii: "\n"))
    }
}

/// For escaping (rule 2); the SHA-256s are lowercase, from `Hex`.
private let hexDigitsUpper = Array("0123456789ABCDEF".utf8)
