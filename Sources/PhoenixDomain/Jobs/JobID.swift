import FoundationEssentials

/// A job's identifier: a UUID string, typed so it cannot be confused with other ids.
public struct JobID: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// A new random id.
    public static func make() -> JobID {
        JobID(rawValue: UUID().uuidString.lowercased())
    }

    public var description: String { rawValue }

    /// A plain JSON string, as the API documents it, not an object with a `raw_value`.
    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
