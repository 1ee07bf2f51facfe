import CCurl

/// The one owner of the CURLM handle: its connection pool is what makes keep-alive reuse work
/// across requests, since every request gets a fresh easy handle.
final class CurlMulti: @unchecked Sendable {
    // Safety: `raw` is immutable. The handle is configured here, then driven only by the loop
    // thread, which also drops the last owning reference (freeing it) when it exits. Other
    // threads only call curl_multi_wakeup (documented as thread-safe), and only through
    // MultiLoop's inbox lock while the inbox still holds this object. Exercised from many tasks
    // at once by ConnectionTests.aHundredConcurrentRequestsAllSucceed.
    let raw: UnsafeMutableRawPointer

    /// Creates the multi handle with the pool limits of `configuration`.
    init(configuration: HTTPClientConfiguration) throws(HTTPClientError) {
        guard let raw = curl_multi_init() else {
            throw HTTPClientError(.transport, "the HTTP client could not allocate its connection pool")
        }
        self.raw = raw
        try set(CURLMOPT_MAXCONNECTS, configuration.connectionCacheSize)
        try set(CURLMOPT_MAX_HOST_CONNECTIONS, configuration.maxConnectionsPerHost)
    }

    deinit {
        curl_multi_cleanup(raw)
    }

    /// Wakes a `curl_multi_poll` in progress on the loop thread (curl_multi_wakeup(3)).
    func wakeup() {
        _ = curl_multi_wakeup(raw)
    }

    private func set(_ option: CURLMoption, _ value: Int) throws(HTTPClientError) {
        let result = phx_curl_multi_setopt_long(raw, option, value)
        guard result != CURLM_OK else { return }
        throw HTTPClientError(.invalidRequest, "the connection pool could not be configured",
                              detail: "CURLMoption \(option.rawValue): CURLMcode \(result.rawValue)")
    }
}
