/// How one step runs: its timeout, how often it is retried, and the pause between attempts.
///
/// The seed's `recovery_steps` give name, timeout and retries (§7.2); `retries: 3` means up to
/// four attempts.
public struct StepPolicy: Sendable, Equatable {
    public var name: String
    public var timeout: Duration
    public var retries: Int
    /// The pause before the first retry; it doubles each time, up to `maxBackoff`.
    public var initialBackoff: Duration
    public var maxBackoff: Duration

    public init(name: String, timeout: Duration, retries: Int, initialBackoff: Duration = .seconds(1), maxBackoff: Duration = .seconds(30)) {
        self.name = name
        self.timeout = timeout
        self.retries = max(0, retries)
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
    }

    /// The pause before attempt `attempt` without jitter (for tests and logs).
    public func backoffForTests(_ attempt: Int) -> Duration {
        backoff(beforeAttempt: attempt, jitter: 0)
    }

    /// The pause before attempt `attempt` (2, 3, ...), with up to 20 % random jitter so that
    /// retries of many jobs do not arrive together.
    func backoff(beforeAttempt attempt: Int, jitter: Double) -> Duration {
        var pause = initialBackoff
        for _ in 2..<max(2, attempt) { pause = min(pause * 2, maxBackoff) }
        return pause * (1 + 0.2 * min(max(jitter, 0), 1))
    }
}

/// Why a step gave up.
public enum StepFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The attempt ran longer than the step's timeout.
    case timedOut(step: String, after: Duration)
    /// Every attempt failed; `lastError` is the last one's description.
    case exhausted(step: String, attempts: Int, lastError: String)

    public var description: String {
        switch self {
        case .timedOut(let step, let after): "\(step) timed out after \(after)"
        case .exhausted(let step, let attempts, let lastError): "\(step) failed after \(attempts) attempts: \(lastError)"
        }
    }
}
