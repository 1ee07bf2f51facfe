/// Hex strings from the RFC and NIST test vectors, as bytes.
enum HexFixture {
    /// `hex` (whitespace ignored) as bytes; an odd digit count or a non-hex digit is a test bug.
    static func bytes(_ hex: String) -> [UInt8] {
        let digits = hex.filter { !$0.isWhitespace }.map { $0.hexDigitValue.map(UInt8.init) }
        precondition(digits.count % 2 == 0 && digits.allSatisfy { $0 != nil }, "bad hex fixture")
        return stride(from: 0, to: digits.count, by: 2).map { (digits[$0] ?? 0) << 4 | (digits[$0 + 1] ?? 0) }
    }
}
