import FoundationEssentials
import PhoenixArtifact
import PhoenixDomain

/// What the backup, verify, retention and sync jobs work with; the executable wires it.
public struct BackupEnvironment: Sendable {
    public var catalog: any Catalog
    public var datasets: [DatasetSpec]
    /// The stores by their configured name.
    public var stores: [String: any ArtifactStore]
    public var keyring: Keyring
    /// The source that backs up a dataset; throws when the dataset's source kind is not built in.
    public var makeSource: @Sendable (DatasetSpec) throws -> any BackupSource
    public var now: @Sendable () -> Date
    /// Plaintext bytes per artifact chunk (DESIGN.md §4: 1 MiB).
    public var chunkSize = ArtifactHeader.defaultChunkSize
    /// Limits of the backup's steps; a snapshot may take hours, reading it back as long.
    public var snapshotStep = StepPolicy(name: "snapshot", timeout: .seconds(6 * 3600), retries: 1)
    public var readBackStep = StepPolicy(name: "read_back", timeout: .seconds(6 * 3600), retries: 1)

    public init(catalog: any Catalog, datasets: [DatasetSpec], stores: [String: any ArtifactStore], keyring: Keyring,
                makeSource: @escaping @Sendable (DatasetSpec) throws -> any BackupSource, now: @escaping @Sendable () -> Date) {
        self.catalog = catalog
        self.datasets = datasets
        self.stores = stores
        self.keyring = keyring
        self.makeSource = makeSource
        self.now = now
    }

    func dataset(_ name: String?) throws -> DatasetSpec {
        guard let name, let dataset = datasets.first(where: { $0.name == name }) else {
            throw BackupFailure("no dataset named \"\(name ?? "")\" in the configuration")
        }
        return dataset
    }

    func store(_ name: String) throws -> any ArtifactStore {
        guard let store = stores[name] else { throw BackupFailure("no store named \"\(name)\" in the configuration") }
        return store
    }
}

/// A backup, verify, retention or sync job that cannot go on; the message is safe to show.
public struct BackupFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
