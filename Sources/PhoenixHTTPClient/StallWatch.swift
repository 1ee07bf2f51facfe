/// Detects a transfer that moves too few bytes: the average over each `window` must reach
/// `bytesPerSecond` (curl's low-speed rule, but with sub-second windows).
///
/// A value checked by the loop thread once per poll; time while the client itself paused the
/// transfer is not held against the peer: `restart` begins a fresh window on un-pause.
struct StallWatch {
    let limit: HTTPClientTimeouts.StallLimit
    private var windowStart: ContinuousClock.Instant
    private var bytesAtStart: Int64

    /// Starts watching at `now` with `bytes` moved so far.
    init(limit: HTTPClientTimeouts.StallLimit, now: ContinuousClock.Instant, bytes: Int64) {
        self.limit = limit
        windowStart = now
        bytesAtStart = bytes
    }

    /// Begins a new window.
    mutating func restart(now: ContinuousClock.Instant, bytes: Int64) {
        windowStart = now
        bytesAtStart = bytes
    }

    /// Whether the transfer stalled: a whole window passed below the limit. A window that
    /// reached the limit starts the next one.
    mutating func isStalled(now: ContinuousClock.Instant, bytes: Int64) -> Bool {
        let elapsed = now - windowStart
        guard elapsed >= limit.window else { return false }
        let (seconds, attoseconds) = elapsed.components
        let required = Double(limit.bytesPerSecond) * (Double(seconds) + Double(attoseconds) / 1e18)
        if Double(bytes - bytesAtStart) < required { return true }
        restart(now: now, bytes: bytes)
        return false
    }

    /// How often the loop should look: a quarter window, between 10 ms and 1 s.
    var pollInterval: Duration {
        min(max(limit.window / 4, .milliseconds(10)), .seconds(1))
    }
}
