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
    /// The primary region's Redis, for redis datasets.
    var primaryRedis: RedisEndpointSetting?

    /// Sources for `configuration`'s datasets, reaching the primary region's servers.
    init(_ configuration: PhoenixConfiguration, now: @escaping @Sendable () -> Date, logger: Logger) {
        self.now = now
        self.logger = logger
        let primary = configuration.regions.first { $0.role == .primary }
        primaryPostgresURL = primary?.postgresURL?.value
        primaryRedis = primary?.redisAddress.map { RedisEndpointSetting(address: $0, password: primary?.redisPassword?.value) }
    }

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
        case .redis:
            guard let redis = primaryRedis else {
                throw BackupFailure("dataset \(dataset.name) has no Redis address (regions.<primary>.redis.address)")
            }
            return RedisSource(settings: try RedisSource.Settings(address: redis.address, password: redis.password, mode: dataset.redisMode),
                               now: now, logger: logger)
        default:
            throw BackupFailure("the \(dataset.source.rawValue) source is not available in this build yet")
        }
    }
}

/// A region's Redis, as the configuration gives it.
struct RedisEndpointSetting: Sendable {
    var address: String
    var password: String?
}
