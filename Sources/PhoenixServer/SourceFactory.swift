import FoundationEssentials
import Logging
import PhoenixDomain
import PhoenixEngine
import PhoenixHTTPClient
import PhoenixSources

/// The backup source of each dataset, by its `source` kind.
struct SourceFactory: Sendable {
    let now: @Sendable () -> Date
    let logger: Logger
    /// The primary region's PostgreSQL URL, for postgres datasets without their own.
    var primaryPostgresURL: String?
    /// The primary region's Redis, for redis datasets.
    var primaryRedis: RedisEndpointSetting?
    /// The primary region's Vault address and token, for the vault dataset.
    var primaryVault: (address: String, token: String?)?
    /// `backup.vault.backup_path`: the staging folder of Vault snapshots.
    var vaultStaging: String?
    /// `backup.git.repositories`, by name.
    var repositories: [String: GitRepositorySpec] = [:]
    /// Where the git mirrors live: `<server.data_directory>/git-mirrors`.
    var mirrorDirectory: String
    /// The HTTP client of the composition root, for Vault.
    var http: HTTPClient?

    /// Sources for `configuration`'s datasets, reaching the primary region's servers.
    init(_ configuration: PhoenixConfiguration, http: HTTPClient?, now: @escaping @Sendable () -> Date, logger: Logger) {
        self.now = now
        self.logger = logger
        self.http = http
        let primary = configuration.regions.first { $0.role == .primary }
        primaryPostgresURL = primary?.postgresURL?.value
        primaryRedis = primary?.redisAddress.map { RedisEndpointSetting(address: $0, password: primary?.redisPassword?.value) }
        primaryVault = primary?.vaultAddress.map { ($0, primary?.vaultToken?.value) }
        vaultStaging = configuration.backup.vault?.backupPath
        for repository in configuration.backup.git?.repositories ?? [] { repositories[repository.name] = repository }
        mirrorDirectory = configuration.server.dataDirectory + "/git-mirrors"
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
                                                  includesGlobals: dataset.includesGlobals, dumpCompression: dataset.dumpCompression),
                                  logger: logger)
        case .redis:
            guard let redis = primaryRedis else {
                throw BackupFailure("dataset \(dataset.name) has no Redis address (regions.<primary>.redis.address)")
            }
            return RedisSource(settings: try RedisSource.Settings(address: redis.address, password: redis.password, mode: dataset.redisMode),
                               now: now, logger: logger)
        case .vault:
            guard let vault = primaryVault, let token = vault.token else {
                throw BackupFailure("dataset \(dataset.name) needs regions.<primary>.vault.address and .token")
            }
            guard let http else { throw BackupFailure("dataset \(dataset.name): no HTTP client was set up for Vault") }
            let endpoint = try VaultEndpoint(address: vault.address, token: token)
            return VaultSource(settings: .init(endpoint: endpoint, stagingDirectory: vaultStaging), http: http, now: now, logger: logger)
        case .git:
            guard let name = dataset.repository, let repository = repositories[name] else {
                throw BackupFailure("dataset \(dataset.name) names no repository of backup.git.repositories")
            }
            let remote = GitRemote(url: repository.url, sshKeyFile: repository.sshKeyFile, knownHostsFile: repository.knownHostsFile,
                                   token: repository.token?.value)
            return GitSource(settings: .init(name: name, remote: remote, branch: repository.branch, mirrorPath: "\(mirrorDirectory)/\(name).git"), now: now, logger: logger)
        }
    }
}

/// A region's Redis, as the configuration gives it.
struct RedisEndpointSetting: Sendable {
    var address: String
    var password: String?
}
