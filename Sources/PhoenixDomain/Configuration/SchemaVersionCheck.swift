/// How a restore compares the restored database's schema version with the one its backup
/// recorded: the dataset's `schema_version_query`, and what a difference does.
public struct SchemaVersionCheck: Sendable, Equatable {
    /// What a restore does when the versions differ.
    public enum OnMismatch: String, Sendable, Equatable, CaseIterable {
        /// The restore fails, naming both versions (the seed's `block_on_mismatch`).
        case block
        /// The restore succeeds with a warning naming both versions.
        case warn
    }

    /// A query whose first column of the first row is the schema version.
    public var query: String
    /// What a difference does.
    public var onMismatch: OnMismatch

    /// A check with `query`, doing `onMismatch` on a difference.
    public init(query: String, onMismatch: OnMismatch) {
        self.query = query
        self.onMismatch = onMismatch
    }
}

extension PhoenixConfiguration {
    /// The schema version check of dataset `name`: its `schema_version_query`, blocking when
    /// `integrity_checks.<name>` has a `version_check` whose action is `block_on_mismatch`, and
    /// warning otherwise. Nil when the dataset has no query (or does not exist).
    public func schemaVersionCheck(forDataset name: String) -> SchemaVersionCheck? {
        guard let query = dataset(named: name)?.schemaVersionQuery else { return nil }
        let blocks = integrityChecks[name]?.contains { $0.kind == .versionCheck && $0.action == .blockOnMismatch } ?? false
        return SchemaVersionCheck(query: query, onMismatch: blocks ? .block : .warn)
    }
}
