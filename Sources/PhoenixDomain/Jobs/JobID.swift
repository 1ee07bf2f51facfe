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
}
