@testable import PhoenixSources

/// Hand-made tar blocks for hostile and foreign-format cases that `TarWriter` would never write.
enum RawTar {
    static let end = [UInt8](repeating: 0, count: 1024)

    /// A valid ustar header block.
    static func header(_ name: String, type: Character = "0", size: Int64 = 0, linkName: String = "") -> [UInt8] {
        UstarHeader.encode(UstarHeader.Fields(
            name: Array(name.utf8), size: size, modificationTime: 1_700_000_000,
            typeFlag: UInt8(ascii: type.unicodeScalars.first ?? "0"), linkName: Array(linkName.utf8)))
    }

    /// `block` with `bytes` written at `offset` and the checksum made valid again, so only the
    /// edited field is wrong.
    static func patched(_ block: [UInt8], at offset: Int, _ bytes: [UInt8]) -> [UInt8] {
        var block = block
        block.replaceSubrange(offset..<(offset + bytes.count), with: bytes)
        let sum = UstarHeader.checksum(of: block[...]).unsigned
        block.replaceSubrange(148..<156, with: (TarNumber.octal(sum, width: 7) ?? []) + [UInt8(ascii: " ")])
        return block
    }

    /// `data` padded with zeros to whole blocks.
    static func padded(_ data: [UInt8]) -> [UInt8] {
        data + [UInt8](repeating: 0, count: UstarHeader.padding(for: Int64(data.count)))
    }

    /// A header plus its padded content.
    static func member(_ name: String, type: Character = "0", content: [UInt8] = [], linkName: String = "") -> [UInt8] {
        header(name, type: type, size: Int64(content.count), linkName: linkName) + padded(content)
    }

    /// A PAX `x` header with raw record bytes.
    static func pax(_ records: [UInt8]) -> [UInt8] {
        member("././@PaxHeader", type: "x", content: records)
    }

    /// A size field in GNU base-256.
    static func base256(_ value: Int64) -> [UInt8] {
        var field = [UInt8](repeating: 0, count: 12)
        field[0] = 0x80
        for index in 0..<8 { field[11 - index] = UInt8(truncatingIfNeeded: value >> (8 * index)) }
        return field
    }
}
