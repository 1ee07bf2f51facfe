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
    /// A deadline `duration` from now, saturating: a huge duration means "never", not a trap.
    public static func deadline(after duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        let whole = UInt64(clamping: max(0, seconds))
        let (scaled, overflow) = whole.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return UInt64.max }
        let (sum, overflow2) = scaled.addingReportingOverflow(UInt64(max(0, attoseconds) / 1_000_000_000))
        guard !overflow2 else { return UInt64.max }
        let (deadline, overflow3) = now().addingReportingOverflow(sum)
        return overflow3 ? UInt64.max : deadline
    }
}
