import FoundationEssentials
import Logging
import PhoenixDomain
import ServiceLifecycle
import Synchronization

/// Keeps this instance's claim on the catalog's leader lease, so that of several instances on
/// one catalog exactly one runs the scheduler and the automation (DESIGN.md §1.6).
///
/// It renews every `renewInterval` (a third of the lease by default). Leadership is judged on
/// the local monotonic clock from the moment a renewal was *sent*, less a safety margin, so an
/// instance cut off from the catalog stops acting as leader before another can take over; the
/// catalog's own clock decides when others may take it.
public final class LeaderElector: Service, Sendable {
    public struct Settings: Sendable {
        public var leaseName = "automation"
        public var duration: Duration = .seconds(15)
        public var renewInterval: Duration = .seconds(5)

        public init() {}
    }

    private struct State {
        var validUntil: ContinuousClock.Instant?
        var epoch: Int64?
        var leader: String?
    }

    let lease: any LeaderLease
    let holder: String
    let settings: Settings
    let logger: Logger
    private let state = Mutex(State())

    public init(lease: any LeaderLease, holder: String, settings: Settings = Settings(), logger: Logger) {
        self.lease = lease
        self.holder = holder
        self.settings = settings
        self.logger = logger
    }

    /// Whether this instance leads now.
    public var isLeader: Bool {
        state.withLock { state in state.validUntil.map { ContinuousClock.now < $0 } ?? false }
    }

    /// The fencing epoch of this instance's leadership, nil while it does not lead.
    public var epoch: Int64? {
        state.withLock { state in (state.validUntil.map { ContinuousClock.now < $0 } ?? false) ? state.epoch : nil }
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.renew()
                try await Task.sleep(for: self.settings.renewInterval)
            }
        }
        // Shutting down: hand the lease over now instead of letting it lapse.
        if isLeader {
            state.withLock { $0.validUntil = nil }
            try? await lease.releaseLease(settings.leaseName, holder: holder)
            logger.info("leadership released", metadata: ["lease.name": "\(settings.leaseName)"])
        }
    }

    /// One attempt to take or renew the lease (exposed for tests that step it by hand).
    public func renew() async {
        let sent = ContinuousClock.now
        do {
            let grant = try await lease.acquireLease(settings.leaseName, holder: holder, duration: settings.duration)
            record(grant, sent: sent)
        } catch is CancellationError {
            return
        } catch {
            // Leadership ends by itself when `validUntil` passes; no renewal, no leading.
            logger.warning("leader lease not renewed", metadata: ["lease.name": "\(settings.leaseName)", "error.type": "\(error)"])
        }
    }

    private func record(_ grant: LeaseGrant, sent: ContinuousClock.Instant) {
        let isHeld = grant.holder == holder
        // A tenth of the lease covers clocks that run at slightly different rates.
        let margin = settings.duration / 10
        let (wasLeading, previousLeader) = state.withLock { state in
            let before = (state.validUntil.map { ContinuousClock.now < $0 } ?? false, state.leader)
            state.validUntil = isHeld ? sent + settings.duration - margin : nil
            state.epoch = isHeld ? grant.epoch : nil
            state.leader = grant.holder
            return before
        }
        var metadata: Logger.Metadata = ["lease.name": "\(settings.leaseName)", "lease.epoch": "\(grant.epoch)"]
        if isHeld && !wasLeading {
            logger.info("leadership taken", metadata: metadata)
        } else if !isHeld && (wasLeading || previousLeader != grant.holder) {
            metadata["lease.holder"] = "\(grant.holder)"
            logger.info(wasLeading ? "leadership lost" : "following the leader", metadata: metadata)
        }
    }
}
