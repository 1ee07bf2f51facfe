@testable import PhoenixHTTP2
import Testing

@Suite struct ResetRateLimiterTests {
    @Test func allowsABurstThenRefusesUntilTimeRefillsTokens() {
        var limiter = ResetRateLimiter(burst: 3, perSecond: 2, now: 0)
        let burst = (0..<4).map { _ in limiter.allowsReset(now: 0) }
        #expect(burst == [true, true, true, false], "three in the burst, the fourth refused")
        let afterHalfSecond = (0..<2).map { _ in limiter.allowsReset(now: 500_000_000) }
        #expect(afterHalfSecond == [true, false], "half a second at 2/s refills one token")
        let muchLater = (0..<4).map { _ in limiter.allowsReset(now: 100_000_000_000) }
        #expect(muchLater == [true, true, true, false], "refills cap at the burst")
    }
}
