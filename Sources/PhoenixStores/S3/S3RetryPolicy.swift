/// How often and how patiently an S3 call is tried again after a 5xx, a throttling answer or a
/// broken connection: "full jitter" exponential backoff (a random wait between zero and
/// `base · 2^attempt`, capped), which spreads the retries of many clients instead of
/// synchronizing them on a struggling endpoint.
public struct S3RetryPolicy: Sendable, Equatable {
    /// Tries in all, the first included.
    public var maxAttempts: Int
    /// The ceiling of the first wait.
    public var baseDelay: Duration
    /// The largest wait.
    public var maxDelay: Duration

    /// Five tries, waits from up to 200 ms growing to at most 10 s (about 20 s in the worst case).
    public init(maxAttempts: Int = 5, baseDelay: Duration = .milliseconds(200), maxDelay: Duration = .seconds(10)) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// The wait before try number `attempt + 1` (`attempt` counts from 1).
    func delay(after attempt: Int) -> Duration {
        let ceiling = min(maxDelay, baseDelay * (1 << min(attempt - 1, 20)))
        let milliseconds = ceiling.components.seconds * 1000 + ceiling.components.attoseconds / 1_000_000_000_000_000
        return .milliseconds(Int64.random(in: 0...max(0, milliseconds)))
    }
}
