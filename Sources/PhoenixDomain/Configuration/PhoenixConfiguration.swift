/// Everything one phoenix-dr instance is configured with: the seed's blocks as written, our own
/// sections, and the datasets resolved from both.
public struct PhoenixConfiguration: Sendable, Equatable {
    public var server = ServerSettings()
    public var dataTiers: [DataTierSpec] = []
    public var backup = BackupSettings()
    public var rtoTargets: [String: ObjectiveTarget] = [:]
    public var rpoTargets: [String: ObjectiveTarget] = [:]
    public var dnsFailover: DNSFailoverSettings?
    public var integrityChecks: [String: [IntegrityCheckSpec]] = [:]
    public var recoverySteps: [RecoveryStepSpec] = []
    public var testingSchedule: [String: TestingScheduleEntry] = [:]
    public var regions: [RegionSpec] = []
    public var stores: [StoreSpec] = []
    public var encryption = EncryptionSpec()
    public var catalog = CatalogSpec(kind: .sqlite, path: "./phoenix-data/catalog.sqlite")
    /// Nil when the file has no `auth` section: the first start then writes an admin token.
    public var tokens: [TokenSpec]?
    public var incomingWebhooks: [IncomingWebhookSpec] = []
    public var outgoingWebhooks: [OutgoingWebhookSpec] = []
    /// The datasets after DESIGN.md §5's rules, ordered by name.
    public var datasets: [DatasetSpec] = []

    public init() {}

    /// The dataset called `name`.
    public func dataset(named name: String) -> DatasetSpec? {
        datasets.first { $0.name == name }
    }
}
