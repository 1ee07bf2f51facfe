import Glibc
import PhoenixSockets

/// How an `HTTPServer` listens, what it accepts and how long it waits.
public struct HTTPServerConfiguration: Sendable {
    /// One address to listen on, plain or secured (TLS).
    public struct Listener: Sendable {
        /// Port 0 picks a free port.
        public var address: SocketAddress
        /// Wraps each accepted connection (a `TLSServer`); nil serves plain HTTP.
        public var security: (any StreamSecurity)?

        public init(address: SocketAddress, security: (any StreamSecurity)? = nil) {
            self.address = address
            self.security = security
        }
    }

    /// Where the server listens.
    public var listeners: [Listener]

    /// The addresses to listen on; setting them makes every listener plain HTTP.
    public var listen: [SocketAddress] {
        get { listeners.map(\.address) }
        set { listeners = newValue.map { Listener(address: $0) } }
    }
    /// Request size limits.
    public var limits = HTTPLimits()
    /// The most open connections; at the limit the oldest idle keep-alive one is closed first.
    public var connectionLimit = 10_000
    /// Event loops (threads); nil means one per core.
    public var loopCount: Int?
    /// From a connection's first byte of a request to the end of its head (slowloris guard).
    public var headerTimeout: Duration = .seconds(10)
    /// How long a keep-alive connection may sit between requests.
    public var idleTimeout: Duration = .seconds(60)
    /// From the end of the head to the end of the body.
    public var bodyTimeout: Duration = .seconds(30)
    /// How long a response may wait for the client to read it.
    public var writeTimeout: Duration = .seconds(30)
    /// After the last response on a closing connection, how long unread input is drained so the
    /// kernel does not reset the connection before the client has read the response.
    public var lingerTimeout: Duration = .seconds(2)
    /// HTTP/2 (h2c with prior knowledge on plain listeners, ALPN `h2` on TLS ones): set to
    /// `.nghttp2()` from PhoenixHTTP2; nil serves HTTP/1.1 only.
    public var http2: HTTP2Driver?
    /// The wall clock for the `Date` field, in seconds since 1970.
    public var wallClock: @Sendable () -> Int = { Int(time(nil)) }

    /// A configuration listening on `listen` with the default limits and timeouts.
    public init(listen: [SocketAddress]) {
        self.listeners = listen.map { Listener(address: $0) }
    }
}
