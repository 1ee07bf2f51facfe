/// A token bucket over the RST_STREAM frames a client sends (the rapid-reset attack of
/// CVE-2023-44487: open a stream, reset it at once, repeat, so the server starts work that no
/// concurrency limit counts). nghttp2's own limiter answers with INTERNAL_ERROR; this one is
/// stricter and says ENHANCE_YOUR_CALM.
struct ResetRateLimiter {
    private let burst: Double
    private let perNanosecond: Double
    private var tokens: Double
    private var refilledAt: UInt64

    init(burst: Int, perSecond: Int, now: UInt64) {
        self.burst = Double(max(1, burst))
        self.perNanosecond = Double(max(0, perSecond)) / 1e9
        self.tokens = self.burst
        self.refilledAt = now
    }

    /// Takes one token for a reset received at `now`; false once the client has used them up.
    mutating func allowsReset(now: UInt64) -> Bool {
        if now > refilledAt {
            tokens = min(burst, tokens + Double(now - refilledAt) * perNanosecond)
            refilledAt = now
        }
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}
