/// Whether this region may take traffic, as `/health` reports it to Route 53.
public enum HealthState: Sendable, Equatable {
    /// This region is active and healthy: answer 200.
    case ok
    /// This region must not take traffic (standby, fenced, drained, unhealthy): answer 503.
    case unavailable(reason: String)

    /// The stable token that leads the `/health` body.
    public var token: String {
        switch self {
        case .ok: "ok"
        case .unavailable: "unavailable"
        }
    }
}
