/// The 512-byte POSIX ustar header block: field layout, checksum and encoding.
/// Decoding is in `UstarHeader+Decoding.swift`.
enum UstarHeader {
    static let blockSize = 512

    /// Byte ranges of the fields (POSIX.1-2008, pax, "ustar Interchange Format").
    enum Field {
        static let name = 0..<100
        static let mode = 100..<108
        static let uid = 108..<116
        static let gid = 116..<124
        static let size = 124..<136
        static let mtime = 136..<148
        static let checksum = 148..<156
        static let typeFlag = 156
        static let linkName = 157..<257
        static let magic = 257..<263
        static let version = 263..<265
        static let userName = 265..<297
        static let groupName = 297..<329
        static let prefix = 345..<500
    }

    /// POSIX magic and version: `"ustar\0"` `"00"`.
    static let posixMagic: [UInt8] = Array("ustar".utf8) + [0, UInt8(ascii: "0"), UInt8(ascii: "0")]
    /// GNU tar's pre-POSIX magic and version: `"ustar  \0"`.
    static let gnuMagic: [UInt8] = Array("ustar  ".utf8) + [0]

    /// The fields of one header block, already reduced to what fits ustar.
    struct Fields {
        var name: [UInt8] = []
        var prefix: [UInt8] = []
        var mode: UInt32 = 0o644
        var userID: Int64 = 0
        var groupID: Int64 = 0
        var size: Int64 = 0
        var modificationTime: Int64 = 0
        var typeFlag: UInt8 = UInt8(ascii: "0")
        var linkName: [UInt8] = []
        var userName: [UInt8] = []
        var groupName: [UInt8] = []
    }

    /// Builds the block with a valid checksum. Callers guarantee each value fits its field.
    static func encode(_ fields: Fields) -> [UInt8] {
        var block = [UInt8](repeating: 0, count: blockSize)
        func put(_ bytes: [UInt8], _ range: Range<Int>) {
            let count = min(bytes.count, range.count)
            block.replaceSubrange(range.lowerBound..<(range.lowerBound + count), with: bytes.prefix(count))
        }
        put(fields.name, Field.name)
        put(TarNumber.octal(Int64(fields.mode & 0o7777), width: 8) ?? [], Field.mode)
        put(TarNumber.octal(fields.userID, width: 8) ?? [], Field.uid)
        put(TarNumber.octal(fields.groupID, width: 8) ?? [], Field.gid)
        put(TarNumber.octal(fields.size, width: 12) ?? [], Field.size)
        put(TarNumber.octal(fields.modificationTime, width: 12) ?? [], Field.mtime)
        block[Field.typeFlag] = fields.typeFlag
        put(fields.linkName, Field.linkName)
        put(posixMagic, Field.magic.lowerBound..<Field.version.upperBound)
        put(fields.userName, Field.userName)
        put(fields.groupName, Field.groupName)
        put(fields.prefix, Field.prefix)
        // Checksum: six octal digits, NUL, space, computed with the field itself as spaces.
        let sum = checksum(of: block[...]).unsigned
        put((TarNumber.octal(sum, width: 7) ?? []) + [UInt8(ascii: " ")], Field.checksum)
        return block
    }

    /// The header checksum, counting the checksum field as eight spaces. Old writers summed
    /// signed chars, so both sums are returned and readers accept either (as GNU tar does).
    static func checksum(of block: ArraySlice<UInt8>) -> (unsigned: Int64, signed: Int64) {
        var unsigned: Int64 = 0
        var signed: Int64 = 0
        let base = block.startIndex
        for index in 0..<blockSize {
            let byte = Field.checksum.contains(index) ? UInt8(ascii: " ") : block[base + index]
            unsigned += Int64(byte)
            signed += Int64(Int8(bitPattern: byte))
        }
        return (unsigned, signed)
    }

    /// Splits `path` into ustar `prefix` (≤ 155 bytes) and `name` (≤ 100 bytes) at a slash,
    /// or returns nil when no split fits and a PAX `path` record is needed.
    static func split(_ path: [UInt8]) -> (prefix: [UInt8], name: [UInt8])? {
        if path.count <= Field.name.count { return ([], path) }
        let lowest = max(1, path.count - Field.name.count - 1)
        let highest = min(Field.prefix.count, path.count - 2)
        guard lowest <= highest else { return nil }
        for index in lowest...highest where path[index] == UInt8(ascii: "/") {
            return (Array(path[..<index]), Array(path[(index + 1)...]))
        }
        return nil
    }

    /// Whether `block` is all zero bytes (an end-of-archive marker).
    static func isZero(_ block: ArraySlice<UInt8>) -> Bool {
        block.allSatisfy { $0 == 0 }
    }
}
