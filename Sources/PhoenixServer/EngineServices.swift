import Foundation
import Logging
import PhoenixAWS
import PhoenixDomain
import PhoenixEngine
import PhoenixHTTPClient
import PhoenixPersistence
import PhoenixSockets
import PhoenixStores
import ServiceLifecycle

/// The catalog and the background services of one instance, built from its configuration.
struct EngineServices {
    let catalog: any Catalog
    let services: [any Service]
    /// Whether this instance leads, and the lease's epoch (always leading on SQLite).
    let leadership: @Sendable () -> (isLeader: Bool, epoch: Int64?)
    let stores: [String: any ArtifactStore]
    /// The HTTP client of the S3 stores, when there are any; shut down after the service group.
    let http: HTTPClient?
    /// Shared by the routes that queue jobs and the workers that claim them.
    let wakeup: JobWakeup

    /// Opens the catalog and builds the worker pool and the scheduler. With SQLite this is the
    /// only instance, so jobs still `running` belonged to a dead process and are interrupted now.
    /// With PostgreSQL several instances share the catalog: a leader lease picks the one that runs
    /// the scheduler and sweeps up the jobs of workers that stopped sending heartbeats.
    /// Schedules run only for job kinds this build can run, so an instance does not fill its
    /// history with jobs that can only fail.
    static func make(configuration: PhoenixConfiguration, workerID: String, logger: Logger) async throws -> EngineServices {
        let now = WallClock.system
        let spec = configuration.catalog
        let catalog: any Catalog
        var services: [any Service] = []
        let leadership: Scheduler.Leadership
        var status: @Sendable () -> (isLeader: Bool, epoch: Int64?) = { (true, nil) }
        switch spec.kind {
        case .sqlite:
            let path = spec.path ?? configuration.server.dataDirectory + "/catalog.sqlite"
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            catalog = try await SQLiteJobCatalog(path: path)
            let interrupted = try await catalog.interruptRunning(worker: nil, now: now())
            if interrupted > 0 { logger.warning("jobs interrupted by the last shutdown", metadata: ["job.count": "\(interrupted)"]) }
            leadership = .sole
        case .postgres:
            guard let url = spec.url?.value else { throw EngineSetupError("a postgres catalog needs catalog.url") }
            let shared = try await PostgresJobCatalog.open(url: url, schema: spec.schema, logger: logger)
            catalog = shared
            let elector = LeaderElector(lease: shared, holder: workerID, settings: .init(period: spec.leaseDuration),
                                        events: EventRecorder(log: shared, now: now, logger: logger), logger: logger)
            services.append(elector)
            services.append(SilentJobSweeper(catalog: shared, isLeader: { elector.isLeader }, silenceLimit: spec.heartbeatTimeout,
                                             interval: min(spec.heartbeatTimeout / 4, .seconds(15)), now: now, logger: logger))
            leadership = .elected(isLeader: { elector.isLeader }, pollInterval: .seconds(1))
            status = { (elector.isLeader, elector.epoch) }
        }
        var http: HTTPClient?
        // S3 stores and Vault snapshots share one client (one connection pool, one loop thread).
        if configuration.stores.contains(where: { $0.kind == .s3 }) || configuration.datasets.contains(where: { $0.source == .vault }) {
            try HTTPClient.globalInitialize()
            http = try HTTPClient(logger: logger)
        }
        let stores = try stores(configuration, http: http, logger: logger)
        await applyLifecycleRules(configuration, stores: stores, logger: logger)
        let environment = BackupEnvironment(
            catalog: catalog, datasets: configuration.datasets, stores: stores,
            keyring: try KeyringBootstrap.keyring(for: configuration, now: now(), logger: logger),
            makeSource: SourceFactory(configuration, http: http, now: now, logger: logger).source(for:), now: now)
        let handlers: [JobKind: any JobHandler] = [
            .backup: BackupJobHandler(environment: environment),
            .verify: VerifyJobHandler(environment: environment),
            .retention: RetentionJobHandler(environment: environment),
            .catalogSync: CatalogSyncJobHandler(environment: environment),
        ]
        let wakeup = JobWakeup()
        let events = EventRecorder(log: catalog, now: now, logger: logger)
        let leading = status
        services.append(EventPruner(log: catalog, isLeader: { leading().isLeader }, retention: spec.eventRetention, now: now, logger: logger))
        var workers = WorkerPool.Settings(workerID: workerID)
        workers.afterJob = { ResourceLimits.releaseFreedMemory() }
        services.append(WorkerPool(catalog: catalog, handlers: handlers, settings: workers, now: now,
                                   wakeup: wakeup, events: events, logger: logger))
        services.append(Scheduler(entries: Scheduler.entries(for: configuration.datasets), catalog: catalog, now: now,
                                  leadership: leadership, wakeup: wakeup, events: events, logger: logger))
        // The bucket is the truth (DESIGN.md §1.2): every start indexes what the stores hold.
        _ = try await catalog.enqueue(Job(kind: .catalogSync, trigger: "start of \(workerID)", createdAt: now()))
        return EngineServices(catalog: catalog, services: services, leadership: status, stores: stores, http: http, wakeup: wakeup)
    }
}

extension EngineServices {
    /// The configured stores, by name.
    static func stores(_ configuration: PhoenixConfiguration, http: HTTPClient?, logger: Logger) throws -> [String: any ArtifactStore] {
        var stores: [String: any ArtifactStore] = [:]
        for spec in configuration.stores {
            switch spec.kind {
            case .local:
                stores[spec.name] = LocalStore(name: spec.name, root: spec.path ?? configuration.server.dataDirectory + "/backups")
            case .s3:
                // The configuration loader already refuses an s3 store without `backup.s3`.
                guard let settings = configuration.backup.s3, let http else { continue }
                stores[spec.name] = try S3Store(name: spec.name, settings: settings, credentials: try credentials(settings, http: http),
                                                http: http, logger: logger)
            }
        }
        return stores
    }

    /// Puts the seed's `lifecycle_rules` on every S3 bucket (S3Store+Lifecycle says how they can
    /// never expire a backup retention keeps). A refusal (no s3:PutLifecycleConfiguration) is
    /// logged, not fatal: backups still work, retired objects just stay until removed by hand.
    private static func applyLifecycleRules(_ configuration: PhoenixConfiguration, stores: [String: any ArtifactStore], logger: Logger) async {
        guard let rules = configuration.backup.s3?.lifecycleRules, !rules.isEmpty else { return }
        for case let store as S3Store in stores.values {
            do {
                try await store.applyLifecycle(rules)
                logger.info("S3 lifecycle rules applied to retired objects", metadata: ["store.name": "\(store.name)", "rule.count": "\(rules.count)"])
            } catch {
                logger.warning("S3 lifecycle rules not applied", metadata: ["store.name": "\(store.name)", "error": "\(error)"])
            }
        }
    }

    /// The keys in `backup.s3` when both are set, else botocore's order: the environment, the
    /// shared credentials file, then the instance metadata service; cached until shortly before
    /// they expire.
    private static func credentials(_ settings: S3Settings, http: HTTPClient) throws -> any AWSCredentialsProvider {
        if let id = settings.accessKeyID, let secret = settings.secretAccessKey {
            return StaticCredentialsProvider(try AWSCredentials(accessKeyID: id, secretAccessKey: AWSSecret(secret.value)))
        }
        let environment = ProcessInfo.processInfo.environment
        let chain = AWSCredentialsProviderChain([
            EnvironmentCredentialsProvider(environment: environment),
            SharedCredentialsFileProvider(environment: environment),
            InstanceMetadataCredentialsProvider(transport: HTTPInstanceMetadataTransport(http: http)),
        ])
        return CachingCredentialsProvider(wrapping: chain, now: { Date() })
    }
}

/// A configuration the engine cannot run with.
struct EngineSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
