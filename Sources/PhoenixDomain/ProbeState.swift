import Synchronization

/// The cached state the probe endpoints answer from: they never call another service.
///
/// The failover and health-check workers write it; `/health`, `/livez` and `/readyz` read it.
public final class ProbeState: Sendable {
    private let health: Mutex<HealthState>
    private let ready = Atomic<Bool>(false)

    /// Starts with `initialHealth` and not ready.
    public init(initialHealth: HealthState = .ok) {
        health = Mutex(initialHealth)
    }

    /// The current health.
    public var currentHealth: HealthState {
        health.withLock { $0 }
    }

    /// Replaces the health.
    public func setHealth(_ state: HealthState) {
        health.withLock { $0 = state }
    }

    /// Whether start-up is complete and shutdown has not begun.
    public var isReady: Bool {
        ready.load(ordering: .acquiring)
    }

    /// Marks start-up complete (true) or shutdown begun (false).
    public func setReady(_ value: Bool) {
        ready.store(value, ordering: .releasing)
    }
}
