/// Settings shared by every request of one `HTTPClient`.
public struct HTTPClientConfiguration: Sendable {
    /// Timeouts for requests that do not bring their own.
    public var timeouts = HTTPClientTimeouts()
    /// The largest body `execute(_:)` buffers; larger responses fail with `.bodyTooLarge`.
    public var maxBodyBytes = 16 * 1024 * 1024
    /// How far a streaming consumer may fall behind before curl is paused
    /// (CURL_WRITEFUNC_PAUSE), bounding memory whatever the response size.
    public var streamBufferBytes = 1024 * 1024
    /// A PEM file of trusted CAs instead of the system bundle (CURLOPT_CAINFO). Verification of
    /// the peer and its host name stays on either way.
    public var caBundlePath: String?
    /// The most connections to one host; 0 for curl's default (no limit). Requests beyond it
    /// wait for a free connection, and that wait counts against their stall limit.
    public var maxConnectionsPerHost = 0
    /// Idle connections kept for reuse (CURLMOPT_MAXCONNECTS); 0 for curl's default.
    public var connectionCacheSize = 64
    /// The `User-Agent` sent when a request has none.
    public var userAgent = "phoenix-dr"
    /// The proxies, read from the process environment (`http_proxy`, `https_proxy`,
    /// `no_proxy`, ...) when the configuration is made; `.none` for direct connections only.
    public var proxy = HTTPProxySettings.fromProcessEnvironment()

    /// The defaults: verified TLS, 16 MiB buffered bodies, 1 MiB stream buffer, proxies from
    /// the environment.
    public init() {}
}
