/// The seed's data classification (§3.1): how often a dataset is backed up and how long kept.
public enum Tier: String, Sendable, Codable, CaseIterable {
    case critical = "Critical"
    case important = "Important"
    case standard = "Standard"

    /// The `rto_targets` key of this tier (DESIGN.md §5).
    public var rtoKey: String {
        switch self {
        case .critical: "critical_services"
        case .important: "important_services"
        case .standard: "standard_services"
        }
    }
}

/// One entry of `data_tiers:` (the seed's `DATA_TIERS` as YAML).
public struct DataTierSpec: Sendable, Equatable, Codable {
    /// The dataset name (`redis_data`, `agent_state`, `metrics`).
    public var name: String
    public var tier: Tier
    public var backupIntervalMinutes: Int
    public var retentionDays: Int
    public var encryptionRequired: Bool

    public init(name: String, tier: Tier, backupIntervalMinutes: Int, retentionDays: Int, encryptionRequired: Bool) {
        self.name = name
        self.tier = tier
        self.backupIntervalMinutes = backupIntervalMinutes
        self.retentionDays = retentionDays
        self.encryptionRequired = encryptionRequired
    }
}

/// A target and the worst acceptable value, in minutes (`rto_targets`, `rpo_targets`).
public struct ObjectiveTarget: Sendable, Equatable, Codable {
    public var targetMinutes: Int
    public var acceptableMinutes: Int

    public init(targetMinutes: Int, acceptableMinutes: Int) {
        self.targetMinutes = targetMinutes
        self.acceptableMinutes = acceptableMinutes
    }
}
