import FoundationEssentials

/// An artifact's identifier, as recorded in its manifest; typed so it cannot be confused with other ids.
public struct ArtifactID: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The id text (a lowercase UUID for ids made by `make()`).
    public let rawValue: String

    /// Wraps an existing id.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// A new random id.
    public static func make() -> ArtifactID {
        ArtifactID(rawValue: UUID().uuidString.lowercased())
    }

    /// Decodes from a JSON string; an empty id is refused.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard !text.isEmpty else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "is empty")
        }
        self.rawValue = text
    }

    /// Encodes as a JSON string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }
}
