import PhoenixDomain

/// What phoenix-dr runs with when no file is given (DESIGN.md §5): everything on this machine,
/// under `./phoenix-data`, backing up a sample folder so a newcomer sees the whole loop.
public enum EmbeddedDefaults {
    static let storeName = "local"

    /// The local store under `dataDirectory`, used when a file names no store.
    static func stores(in dataDirectory: String) -> [StoreSpec] {
        [StoreSpec(name: storeName, kind: .local, path: dataDirectory + "/backups")]
    }

    /// The SQLite catalog under `dataDirectory`, used when a file has no `catalog` section.
    static func catalog(in dataDirectory: String) -> CatalogSpec {
        CatalogSpec(kind: .sqlite, path: dataDirectory + "/catalog.sqlite")
    }

    /// The embedded configuration.
    public static let configuration: PhoenixConfiguration = {
        var configuration = PhoenixConfiguration()
        configuration.stores = stores(in: configuration.server.dataDirectory)
        configuration.catalog = catalog(in: configuration.server.dataDirectory)
        configuration.datasets = [DatasetSpec(
            name: "sample", source: .directory, tier: .standard, schedule: "0 * * * *",
            retention: RetentionRules(keepLast: 24, keepDaily: 7), retentionDays: 7, encryptionRequired: true,
            prefix: "sample/", store: storeName, path: "./Deploy/sample-data")]
        return configuration
    }()
}
