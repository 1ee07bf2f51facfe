/// Percent-encoding as SigV4 needs it: RFC 3986 §2.1 with uppercase hex, UTF-8 bytes, and only the
/// unreserved set (§2.3: `A-Z a-z 0-9 - . _ ~`) left alone. Note `~` stays and space is `%20`, not
/// `+`; that is what differs from form encoding and from Foundation's query allowed sets.
public enum AWSPercentEncoding {
    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// `text` with every byte outside the unreserved set encoded: for query names and values.
    public static func encode(_ text: String) -> String {
        encode(text.utf8, keepingSlash: false)
    }

    /// `rawPath` encoded like `encode(_:)` but with `/` kept: the wire form of an S3 object path,
    /// as botocore's serializer writes `/{Bucket}/{Key+}`. `"/b/a dir/é+.txt"` → `"/b/a%20dir/%C3%A9%2B.txt"`.
    public static func encodePath(_ rawPath: String) -> String {
        encode(rawPath.utf8, keepingSlash: true)
    }

    static func encode(_ bytes: some Sequence<UInt8>, keepingSlash: Bool) -> String {
        var out: [UInt8] = []
        for byte in bytes {
            if isUnreserved(byte) || (keepingSlash && byte == UInt8(ascii: "/")) {
                out.append(byte)
            } else {
                out.append(contentsOf: [UInt8(ascii: "%"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    /// Whether `path` can go on the request line as is: it starts with `/` and holds only RFC 3986
    /// `pchar`s (unreserved, sub-delims, `:` `@`), `/`, and `%` followed by two hex digits.
    static func isWirePath(_ path: String) -> Bool {
        let bytes = Array(path.utf8)
        guard bytes.first == UInt8(ascii: "/") else { return false }
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.count, isHex(bytes[index + 1]), isHex(bytes[index + 2]) else { return false }
                index += 3
                continue
            }
            guard isUnreserved(byte) || Array("!$&'()*+,;=:@/".utf8).contains(byte) else { return false }
            index += 1
        }
        return true
    }

    private static func isHex(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
            || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }
}
