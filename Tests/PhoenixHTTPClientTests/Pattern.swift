import Glibc

/// Fast byte checks (memcmp), so 200 MiB are checked in a debug build without a per-byte loop.
enum Pattern {
    static func matches(_ piece: [UInt8], at position: Int, template: [UInt8]) -> Bool {
        var offset = 0
        while offset < piece.count {
            let start = (position + offset) % template.count
            let count = min(template.count - start, piece.count - offset)
            let equal = piece.withUnsafeBytes { received in
                template.withUnsafeBytes { expected in
                    memcmp(received.baseAddress! + offset, expected.baseAddress! + start, count) == 0
                }
            }
            guard equal else { return false }
            offset += count
        }
        return true
    }

    static func isFilled(_ piece: [UInt8], with byte: UInt8) -> Bool {
        guard let first = piece.first, first == byte else { return piece.isEmpty }
        // Compare the piece with itself shifted by one: all equal to the first byte.
        return piece.withUnsafeBytes { memcmp($0.baseAddress!, $0.baseAddress! + 1, piece.count - 1) == 0 }
    }
}
