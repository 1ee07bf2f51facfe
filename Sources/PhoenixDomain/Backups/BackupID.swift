import FoundationEssentials

/// A backup's identifier: the snapshot time in UTC and a random suffix
/// (`20261127T120000Z-3f9a1c0e`), so ids sort by time and never collide.
public struct BackupID: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// A new id for a snapshot taken at `date`.
    public static func make(at date: Date) -> BackupID {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let day = CivilCalendar.day(number: CivilCalendar.floorDivide(seconds, 86_400))
        let second = seconds - CivilCalendar.floorDivide(seconds, 86_400) * 86_400
        let stamp = fourDigits(day.year) + pad(day.month) + pad(day.day) + "T"
            + pad(second / 3600) + pad(second % 3600 / 60) + pad(second % 60) + "Z"
        let suffix = UUID().uuidString.lowercased().prefix(8)
        return BackupID(rawValue: "\(stamp)-\(suffix)")
    }

    /// Whether `text` has the shape of an id: letters, digits, `-`, `_`, `.` only, so it is
    /// safe in an object key and a file name.
    public static func isWellFormed(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 128 && !text.hasPrefix(".") && text.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
        }
    }

    public static func < (lhs: BackupID, rhs: BackupID) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { rawValue }

    /// A plain JSON string, as the API documents it, not an object with a `raw_value`.
    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    private static func fourDigits(_ value: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, 4 - text.count)) + text
    }

    private static func pad(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
