import FoundationEssentials
import Logging
import PhoenixDomain
import ServiceLifecycle

/// On the leader (always, for the sole instance), deletes the events older than the retention
/// (`catalog.event_retention`, 90 days by default), so the append-only history stays bounded.
public final class EventPruner: Service {
    let log: any EventLog
    let isLeader: @Sendable () -> Bool
    let retention: Duration
    let interval: Duration
    let now: @Sendable () -> Date
    let logger: Logger

    public init(log: any EventLog, isLeader: @escaping @Sendable () -> Bool, retention: Duration,
                interval: Duration = .seconds(3600), now: @escaping @Sendable () -> Date, logger: Logger) {
        self.log = log
        self.isLeader = isLeader
        self.retention = retention
        self.interval = interval
        self.now = now
        self.logger = logger
    }

    public func run() async throws {
        try await everyInterval(interval, whileLeading: isLeader) { _ = await self.prune() }
    }

    /// One pruning pass (exposed for tests); returns how many events it removed.
    @discardableResult
    public func prune() async -> Int {
        do {
            let count = try await log.pruneEvents(before: now().addingTimeInterval(-retention.timeInterval))
            if count > 0 { logger.info("old events pruned", metadata: ["event.count": "\(count)"]) }
            return count
        } catch is CancellationError {
            return 0
        } catch {
            logger.warning("event pruning failed", metadata: ["error.type": "\(error)"])
            return 0
        }
    }
}
