import FoundationEssentials
import Synchronization

/// Keeps another provider's credentials until they are about to expire.
///
/// Long-term keys (no expiry) are fetched once. Temporary ones are fetched again once `now()` is
/// within `refreshMargin` of their expiry; AWS SDKs use about five minutes, so a request signed
/// just before the switch still arrives in time. The wall clock is injected (STYLE.md).
///
/// Two callers that miss the cache at the same moment both fetch; the last result wins. That
/// costs one extra IMDS round trip at most, and keeps the lock from being held across an `await`.
public final class CachingCredentialsProvider: AWSCredentialsProvider {
    private let base: any AWSCredentialsProvider
    private let now: @Sendable () -> Date
    private let refreshMargin: Duration
    private let cached = Mutex<AWSCredentials?>(nil)

    /// Caches `base`, refreshing `refreshMargin` before expiry by the clock `now`.
    public init(wrapping base: any AWSCredentialsProvider, refreshMargin: Duration = .seconds(300), now: @escaping @Sendable () -> Date) {
        self.base = base
        self.now = now
        self.refreshMargin = refreshMargin
    }

    /// `cached(<base name>)`.
    public var name: String { "cached(\(base.name))" }

    /// The cached credentials, or fresh ones from the wrapped provider.
    /// - Throws: whatever the wrapped provider throws; the old value is kept on failure.
    public func credentials() async throws(AWSError) -> AWSCredentials {
        let instant = now()
        if let current = cached.withLock({ $0 }), !current.expires(within: refreshMargin, of: instant) {
            return current
        }
        let fresh = try await base.credentials()
        cached.withLock { $0 = fresh }
        return fresh
    }

    /// Drops the cached value, for example after AWS rejected it with `ExpiredToken`.
    public func invalidate() {
        cached.withLock { $0 = nil }
    }
}
