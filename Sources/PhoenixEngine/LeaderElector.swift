import FoundationEssentials
import Logging
import PhoenixDomain
import ServiceLifecycle
import Synchronization

/// Keeps this instance's claim on the catalog's leader lease, so that of several instances on
/// one catalog exactly one runs the scheduler and the automation (DESIGN.md §1.6).
///
/// The promise is the lease *period*: when the holder dies, another instance takes over within
/// one period of the holder's last renewal. So each grant lasts the period less one attempt
/// interval (a quarter of the period), and a standby tries at least once per attempt interval,
/// and sooner, at the moment the lease it saw runs out (read on the catalog's clock): the lease
/// lapses at most 3/4 of a period after the last renewal, and a standby takes it at that moment,
/// or at the latest one attempt interval later.
///
/// Leadership is judged on the local monotonic clock from the moment a renewal was *sent*, less a
/// safety margin, so an instance cut off from the catalog stops acting as leader before another
/// can take over; the catalog's own clock decides when others may take it.
public final class LeaderElector: Service, Sendable {
    public struct Settings: Sendable {
        public var leaseName = "automation"
        /// Another instance takes over within this time of the holder's last renewal.
        public var period: Duration = .seconds(15)

        /// How often the holder renews and a standby tries at the latest.
        public var attemptInterval: Duration { period / 4 }
        /// How long one grant lasts in the catalog: the period less one attempt interval.
        public var grantDuration: Duration { period - attemptInterval }

        public init(period: Duration = .seconds(15)) {
            self.period = period
        }
    }

    private struct State {
        var validUntil: ContinuousClock.Instant?
        var epoch: Int64?
        var leader: String?
    }

    let lease: any LeaderLease
    let holder: String
    let settings: Settings
    let events: EventRecorder?
    let logger: Logger
    private let state = Mutex(State())

    /// - Parameter events: where leadership changes are recorded (`lease.acquired`, `lease.lost`,
    ///   `lease.released`), if anywhere.
    public init(lease: any LeaderLease, holder: String, settings: Settings = Settings(), events: EventRecorder? = nil,
                logger: Logger) {
        self.lease = lease
        self.holder = holder
        self.settings = settings
        self.events = events
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
        try await untilGracefulShutdown {
            while !Task.isCancelled {
                let grant = await self.renew()
                try await Task.sleep(for: self.nextAttempt(after: grant))
            }
        }
        // Shutting down: hand the lease over now instead of letting it lapse.
        if isLeader {
            state.withLock { $0.validUntil = nil }
            try? await lease.releaseLease(settings.leaseName, holder: holder)
            logger.info("leadership released", metadata: ["lease.name": "\(settings.leaseName)"])
            await events?.record("lease.released", subject: settings.leaseName, message: "\(holder) handed the lease over on shutdown",
                                 details: ["holder": holder])
        }
    }

    /// How long to wait before the next attempt: the attempt interval, or for a standby less,
    /// until just after the holder's lease runs out by the catalog's clock.
    public func nextAttempt(after grant: LeaseGrant?) -> Duration {
        guard let grant, grant.holder != holder, let checkedAt = grant.checkedAt else { return settings.attemptInterval }
        let remaining = Duration.milliseconds(max(0, grant.expiresAt.unixMillis - checkedAt.unixMillis))
        // A few milliseconds past the expiry, so the attempt does not land on the boundary itself.
        return min(settings.attemptInterval, remaining + .milliseconds(5))
    }

    /// One attempt to take or renew the lease (exposed for tests that step it by hand); the lease
    /// as the catalog answered, nil when it could not be reached.
    @discardableResult
    public func renew() async -> LeaseGrant? {
        let sent = ContinuousClock.now
        do {
            let grant = try await lease.acquireLease(settings.leaseName, holder: holder, duration: settings.grantDuration)
            await record(grant, sent: sent)
            return grant
        } catch is CancellationError {
            return nil
        } catch {
            // Leadership ends by itself when `validUntil` passes; no renewal, no leading.
            logger.warning("leader lease not renewed", metadata: ["lease.name": "\(settings.leaseName)", "error.type": "\(error)"])
            return nil
        }
    }

    private func record(_ grant: LeaseGrant, sent: ContinuousClock.Instant) async {
        let isHeld = grant.holder == holder
        // A tenth of the grant covers clocks that run at slightly different rates.
        let margin = settings.grantDuration / 10
        let (wasLeading, previousLeader) = state.withLock { state in
            let before = (state.validUntil.map { ContinuousClock.now < $0 } ?? false, state.leader)
            state.validUntil = isHeld ? sent + settings.grantDuration - margin : nil
            state.epoch = isHeld ? grant.epoch : nil
            state.leader = grant.holder
            return before
        }
        var metadata: Logger.Metadata = ["lease.name": "\(settings.leaseName)", "lease.epoch": "\(grant.epoch)"]
        if isHeld && !wasLeading {
            logger.info("leadership taken", metadata: metadata)
            await events?.record("lease.acquired", subject: settings.leaseName, message: "\(holder) leads (epoch \(grant.epoch))",
                                 details: LeaseEventDetails.acquired(grant, period: settings.period))
        } else if !isHeld && (wasLeading || previousLeader != grant.holder) {
            // Lost: the last answer named this instance, whether or not its own validity had
            // already run out (a stalled process learns it only now).
            let lost = wasLeading || previousLeader == holder
            metadata["lease.holder"] = "\(grant.holder)"
            logger.info(lost ? "leadership lost" : "following the leader", metadata: metadata)
            if lost {
                await events?.record("lease.lost", subject: settings.leaseName, severity: .warning,
                                     message: "\(holder) lost the lease to \(grant.holder)",
                                     details: ["holder": holder, "new_holder": grant.holder, "epoch": "\(grant.epoch)"])
            }
        }
    }
}
