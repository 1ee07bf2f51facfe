/// The numeric header fields of tar: NUL-terminated octal, or GNU base-256 for large values.
enum TarNumber {
    /// The largest value an octal field of `width` bytes holds (one byte is the terminator).
    static func octalLimit(width: Int) -> Int64 {
        (Int64(1) << (3 * Int64(width - 1))) - 1
    }

    /// `value` as zero-padded octal digits plus a NUL, or nil if it does not fit.
    /// Values that do not fit go into PAX records instead (POSIX pax, "ustar Header Block").
    static func octal(_ value: Int64, width: Int) -> [UInt8]? {
        guard value >= 0, value <= octalLimit(width: width) else { return nil }
        var digits = [UInt8](repeating: UInt8(ascii: "0"), count: width - 1)
        var rest = value
        var index = digits.count - 1
        while rest > 0 {
            digits[index] = UInt8(ascii: "0") + UInt8(rest & 7)
            rest >>= 3
            index -= 1
        }
        return digits + [0]
    }

    /// Reads a numeric field: optional leading spaces, octal digits, then only spaces or NULs.
    /// A first byte with the high bit set is GNU base-256: big-endian, 0x80 for positive values,
    /// two's complement with a leading 0xFF for negative ones (GNU tar writes pre-1970 times
    /// so). Callers reject negatives where they make no sense. An all-blank field is 0, as GNU
    /// tar reads it.
    /// - Returns: nil for garbage or a value beyond `Int64`.
    static func parse(_ field: ArraySlice<UInt8>) -> Int64? {
        guard let first = field.first else { return 0 }
        if first == 0xFF { return parseNegativeBase256(field) }
        if first & 0x80 != 0 { return parsePositiveBase256(field) }
        var value: Int64 = 0
        var index = field.startIndex
        while index < field.endIndex, field[index] == UInt8(ascii: " ") { index += 1 }
        while index < field.endIndex, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(field[index]) {
            guard value <= (Int64.max >> 3) else { return nil }
            value = value << 3 | Int64(field[index] - UInt8(ascii: "0"))
            index += 1
        }
        // What follows the digits must be terminators only: "12x4" is garbage, not 12.
        while index < field.endIndex {
            guard field[index] == 0 || field[index] == UInt8(ascii: " ") else { return nil }
            index += 1
        }
        return value
    }

    private static func parsePositiveBase256(_ field: ArraySlice<UInt8>) -> Int64? {
        guard let first = field.first else { return nil }
        var value = Int64(first & 0x7F)
        for byte in field.dropFirst() {
            guard value <= (Int64.max >> 8) else { return nil }
            value = value << 8 | Int64(byte)
        }
        return value
    }

    private static func parseNegativeBase256(_ field: ArraySlice<UInt8>) -> Int64? {
        // Fits Int64 only if everything before the last 8 bytes is sign extension.
        let low = field.suffix(8)
        guard field.count >= 8, field.dropLast(8).allSatisfy({ $0 == 0xFF }), (low.first ?? 0) & 0x80 != 0 else { return nil }
        let bits = low.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return Int64(bitPattern: bits)
    }
}
