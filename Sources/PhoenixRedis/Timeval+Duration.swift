import Glibc

extension timeval {
    /// `duration` as a `timeval` for hiredis, never below 1 ms: hiredis 0.14 polls the connect
    /// with a 0 ms timeout (fails at once) and `SO_RCVTIMEO` of zero means "no timeout", so
    /// neither reading of zero is what a caller who passed a tiny value meant.
    init(clamping duration: Duration) {
        let floor = Duration.milliseconds(1)
        let (seconds, attoseconds) = max(duration, floor).components
        self.init(tv_sec: Int(clamping: seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }
}
