import FoundationEssentials
import Logging
import PhoenixDomain
import PhoenixEngine
import PhoenixSources

/// The backup source of each dataset, by its `source` kind.
struct SourceFactory: Sendable {
    let now: @Sendable () -> Date
    let logger: Logger
    /// The primary region's PostgreSQL URL, for postgres datasets without their own.
    var primaryPostgresURL: String?

    func source(for dataset: DatasetSpec) throws -> any BackupSource {
        switch dataset.source {
        case .directory:
            guard let path = dataset.path else { throw BackupFailure("dataset \(dataset.name) has no path") }
            return DirectorySource(root: path, now: now, logger: logger)
        case .postgres:
            guard let url = dataset.url?.value ?? primaryPostgresURL else {
                throw BackupFailure("dataset \(dataset.name) has no PostgreSQL URL (datasets.\(dataset.name).url or regions.<primary>.postgres.url)")
            }
            return PostgresSource(settings: .init(url: url, stateTables: dataset.stateTables, schemaVersionQuery: dataset.schemaVersionQuery,
                                                  includesGlobals: dataset.includesGlobals), logger: logger)
        default:
            throw BackupFailure("the \(dataset.source.rawValue) source is not available in this build yet")
        }
    }
}
