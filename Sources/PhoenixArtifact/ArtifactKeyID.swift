/// The name of a master key in a keyring (for example `2026-01`), written into each artifact header.
///
/// Restricted to 1–64 characters of `[A-Za-z0-9._-]`: it is read back from untrusted headers and
/// shown in error messages and logs, so it must not carry control characters or quotes.
public struct ArtifactKeyID: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The longest id, in bytes (the header's length byte allows more; readers refuse it).
    public static let maximumLength = 64

    /// The id text.
    public let rawValue: String

    /// The id, or nil if `rawValue` is empty, too long or uses other characters.
    public init?(rawValue: String) {
        let bytes = Array(rawValue.utf8)
        guard (1...Self.maximumLength).contains(bytes.count), bytes.allSatisfy(Self.isAllowed) else { return nil }
        self.rawValue = rawValue
    }

    /// Decodes from a JSON string, refusing invalid ids.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let id = ArtifactKeyID(rawValue: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "is not a valid key id")
        }
        self = id
    }

    /// Encodes as a JSON string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    private static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }
}
