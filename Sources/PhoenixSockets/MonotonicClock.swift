import Glibc

/// Nanoseconds on CLOCK_MONOTONIC: the event loop's time base for deadlines.
public enum MonotonicClock {
    /// Now, in nanoseconds since an arbitrary start.
    @inline(__always)
    public static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec)
    }

    /// A deadline `duration` from now.
    public static func deadline(after duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        let nanos = max(0, seconds) &* 1_000_000_000 &+ max(0, attoseconds) / 1_000_000_000
        return now() &+ UInt64(nanos)
    }
}
