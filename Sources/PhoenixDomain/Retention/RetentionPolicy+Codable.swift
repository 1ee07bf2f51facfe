import FoundationEssentials
import FoundationInternationalization

/// The policy is coded with the seed's YAML key names (`keep_last`, `retention_days`, …) and the
/// time zone as its identifier string, so a `retention:` block and an API body read alike.
extension RetentionPolicy: Codable {
    /// The coded key names: the seed's `retention:` block keys, plus `time_zone`.
    enum CodingKeys: String, CodingKey {
        case keepLast = "keep_last"
        case keepHourly = "keep_hourly"
        case keepDaily = "keep_daily"
        case keepWeekly = "keep_weekly"
        case keepMonthly = "keep_monthly"
        case keepYearly = "keep_yearly"
        case maxAgeDays = "retention_days"
        case timeZone = "time_zone"
    }

    /// Decodes a policy; a missing `time_zone` means UTC, an unknown one is an error.
    /// - Throws: `DecodingError.dataCorrupted` when `time_zone` names no known zone.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        var zone = RetentionPolicy.defaultTimeZone
        if let identifier = try container.decodeIfPresent(String.self, forKey: .timeZone) {
            guard let named = TimeZone(identifier: identifier) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .timeZone, in: container,
                    debugDescription: "\"\(identifier)\" is not a known time zone"
                )
            }
            zone = named
        }
        self.init(
            keepLast: try container.decodeIfPresent(Int.self, forKey: .keepLast),
            keepHourly: try container.decodeIfPresent(Int.self, forKey: .keepHourly),
            keepDaily: try container.decodeIfPresent(Int.self, forKey: .keepDaily),
            keepWeekly: try container.decodeIfPresent(Int.self, forKey: .keepWeekly),
            keepMonthly: try container.decodeIfPresent(Int.self, forKey: .keepMonthly),
            keepYearly: try container.decodeIfPresent(Int.self, forKey: .keepYearly),
            maxAgeDays: try container.decodeIfPresent(Int.self, forKey: .maxAgeDays),
            timeZone: zone
        )
    }

    /// Encodes the rules that are set and the time zone's identifier.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(keepLast, forKey: .keepLast)
        try container.encodeIfPresent(keepHourly, forKey: .keepHourly)
        try container.encodeIfPresent(keepDaily, forKey: .keepDaily)
        try container.encodeIfPresent(keepWeekly, forKey: .keepWeekly)
        try container.encodeIfPresent(keepMonthly, forKey: .keepMonthly)
        try container.encodeIfPresent(keepYearly, forKey: .keepYearly)
        try container.encodeIfPresent(maxAgeDays, forKey: .maxAgeDays)
        try container.encode(timeZone.identifier, forKey: .timeZone)
    }
}
