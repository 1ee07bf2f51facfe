import CCurl
import Logging
import Synchronization

/// An async HTTP/1.1 client over libcurl's multi interface.
///
/// One client owns one CURLM handle (and so one keep-alive connection pool) driven by one
/// dedicated thread; requests never block the cooperative pool. Call
/// `HTTPClient.globalInitialize()` once in the composition root before creating clients, and
/// `shutdown()` before letting a client go.
///
/// ```swift
/// try HTTPClient.globalInitialize()
/// let client = try HTTPClient(logger: logger)
/// let response = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:8080/health"))
/// print(response.status, response.body.count)
/// await client.shutdown()
/// ```
public final class HTTPClient: Sendable {
    /// The settings every request starts from.
    public let configuration: HTTPClientConfiguration
    let loop: MultiLoop
    let logger: Logger
    private let hasShutDown = Atomic<Bool>(false)

    private static let isGloballyInitialized = Mutex<Bool>(false)

    /// Initialises libcurl and OpenSSL for the process (curl_global_init). Call it once from the
    /// composition root, before threads start; later calls do nothing.
    /// - Throws: `HTTPClientError` with `.transport` when libcurl cannot initialise.
    public static func globalInitialize() throws(HTTPClientError) {
        try isGloballyInitialized.withLock { (isDone: inout Bool) throws(HTTPClientError) in
            guard !isDone else { return }
            let result = phx_curl_global_init_default()
            guard result == CURLE_OK else {
                throw HTTPClientError(.transport, "libcurl could not be initialised", curlCode: Int32(result.rawValue))
            }
            isDone = true
        }
    }

    /// Creates a client and starts its loop thread.
    /// - Throws: `HTTPClientError` when the multi handle or the thread cannot be created.
    public init(configuration: HTTPClientConfiguration = HTTPClientConfiguration(), logger: Logger) throws(HTTPClientError) {
        assert(Self.isGloballyInitialized.withLock { $0 }, "call HTTPClient.globalInitialize() first")
        self.configuration = configuration
        self.logger = logger
        loop = try MultiLoop(configuration: configuration, logger: logger)
    }

    deinit {
        assert(hasShutDown.load(ordering: .acquiring), "HTTPClient released without shutdown()")
        // Release builds: still stop the thread rather than leak it with its connections.
        loop.requestShutdownWithoutWaiting()
    }

    /// Stops the loop thread: requests in flight fail with `.cancelled`, then every easy handle,
    /// connection and the multi handle are freed. Returns once that is done; safe to call twice.
    public func shutdown() async {
        hasShutDown.store(true, ordering: .releasing)
        await loop.shutdown()
        logger.debug("http client shut down")
    }

    /// Counters for operators and tests.
    public var statistics: HTTPClientStatistics {
        HTTPClientStatistics(
            activeTransfers: loop.activeTransfers.load(ordering: .relaxed),
            connectionsOpened: loop.connectionsOpened.load(ordering: .relaxed)
        )
    }
}
