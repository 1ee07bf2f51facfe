import FoundationEssentials
import Logging
import PhoenixDomain
import ServiceLifecycle

/// On the leader, marks `interrupted` the running jobs whose worker stopped sending heartbeats:
/// with several instances on one catalog, a process that died (kill -9, a lost host) cannot
/// mark its own jobs at its next start, because it may never start again.
public final class SilentJobSweeper: Service {
    let catalog: any JobCatalog
    let isLeader: @Sendable () -> Bool
    /// How long a worker may be silent before its jobs are taken as dead: several heartbeats.
    let silenceLimit: Duration
    let interval: Duration
    let now: @Sendable () -> Date
    let logger: Logger

    public init(catalog: any JobCatalog, isLeader: @escaping @Sendable () -> Bool, silenceLimit: Duration = .seconds(60),
                interval: Duration = .seconds(15), now: @escaping @Sendable () -> Date, logger: Logger) {
        self.catalog = catalog
        self.isLeader = isLeader
        self.silenceLimit = silenceLimit
        self.interval = interval
        self.now = now
        self.logger = logger
    }

    public func run() async throws {
        try await everyInterval(interval, whileLeading: isLeader) { await self.sweep() }
    }

    /// One sweep (exposed for tests).
    public func sweep() async {
        let current = now()
        do {
            let count = try await catalog.interruptSilent(since: current.addingTimeInterval(-silenceLimit.timeInterval), now: current)
            if count > 0 { logger.warning("jobs of a silent worker interrupted", metadata: ["job.count": "\(count)"]) }
        } catch is CancellationError {
            return
        } catch {
            logger.error("silent-job sweep failed", metadata: ["error.type": "\(error)"])
        }
    }
}
