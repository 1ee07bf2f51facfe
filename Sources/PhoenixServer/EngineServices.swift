import Foundation
import Logging
import PhoenixDomain
import PhoenixEngine
import PhoenixPersistence
import ServiceLifecycle

/// The catalog and the background services of one instance, built from its configuration.
struct EngineServices {
    let catalog: any JobCatalog
    let services: [any Service]

    /// Opens the catalog, marks jobs a dead process left `running` as `interrupted`, and builds
    /// the worker pool and scheduler. Schedules run only for job kinds this build can run, so an
    /// instance does not fill its history with jobs that can only fail.
    static func make(configuration: PhoenixConfiguration, workerID: String, logger: Logger) async throws -> EngineServices {
        let now = WallClock.system
        let catalog: any JobCatalog
        switch configuration.catalog.kind {
        case .sqlite:
            let path = configuration.catalog.path ?? configuration.server.dataDirectory + "/catalog.sqlite"
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            catalog = try await SQLiteJobCatalog(path: path)
        case .postgres:
            throw EngineSetupError("a postgres catalog is not available in this build yet; use kind: sqlite")
        }
        // One instance per SQLite file: whatever is still `running` belonged to a dead process.
        let interrupted = try await catalog.interruptRunning(worker: nil, now: now())
        if interrupted > 0 { logger.warning("jobs interrupted by the last shutdown", metadata: ["job.count": "\(interrupted)"]) }
        let handlers: [JobKind: any JobHandler] = [:]
        var services: [any Service] = [
            WorkerPool(catalog: catalog, handlers: handlers, settings: .init(workerID: workerID), now: now, logger: logger),
        ]
        if handlers[.backup] != nil {
            services.append(Scheduler(entries: Scheduler.entries(for: configuration.datasets), catalog: catalog, now: now, logger: logger))
        } else {
            logger.info("scheduler idle: this build has no backup job handler yet")
        }
        return EngineServices(catalog: catalog, services: services)
    }
}

/// A configuration the engine cannot run with.
struct EngineSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
