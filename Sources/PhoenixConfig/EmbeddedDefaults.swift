import PhoenixDomain

/// What phoenix-dr runs with when no file is given (DESIGN.md §5): everything on this machine,
/// under `./phoenix-data`, backing up a sample folder so a newcomer sees the whole loop.
public enum EmbeddedDefaults {
    static let storeName = "local"

    /// The embedded configuration.
    public static let configuration: PhoenixConfiguration = {
        var configuration = PhoenixConfiguration()
        configuration.stores = [StoreSpec(name: storeName, kind: .local, path: "./phoenix-data/backups")]
        configuration.catalog = CatalogSpec(kind: .sqlite, path: "./phoenix-data/catalog.sqlite")
        configuration.datasets = [DatasetSpec(
            name: "sample", source: .directory, tier: .standard, schedule: "0 * * * *",
            retention: RetentionRules(keepLast: 24, keepDaily: 7), retentionDays: 7, encryptionRequired: true,
            prefix: "sample/", store: storeName, path: "./Deploy/sample-data")]
        return configuration
    }()
}
