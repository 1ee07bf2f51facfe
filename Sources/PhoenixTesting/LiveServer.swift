import Logging
import PhoenixHTTP
import PhoenixHTTP2
import PhoenixSockets

/// Our HTTP server on 127.0.0.1 port 0, for tests that talk to it over real sockets.
///
/// ```swift
/// let server = try LiveServer(responder: router)
/// defer { server.stop() }
/// let client = try TestSocket(port: server.port)
/// ```
public final class LiveServer: Sendable {
    /// The running server.
    public let server: HTTPServer
    /// The port the kernel chose.
    public let port: UInt16

    /// Starts a server speaking HTTP/1.1 and h2c (prior knowledge), as production does;
    /// `configure` may change limits and timeouts before it listens.
    public init(
        responder: any HTTPResponder,
        logger: Logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
        configure: (inout HTTPServerConfiguration) throws -> Void = { _ in }
    ) throws {
        var configuration = HTTPServerConfiguration(listen: [try SocketAddress(host: "127.0.0.1", port: 0)])
        configuration.http2 = .nghttp2()
        try configure(&configuration)
        ResourceLimits.ignoreBrokenPipe()
        ResourceLimits.raiseOpenFileLimit()
        server = HTTPServer(configuration: configuration, responder: responder, logger: logger)
        let addresses = try server.start()
        port = addresses.first?.port ?? 0
    }

    /// `http://127.0.0.1:PORT`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Graceful shutdown with a short grace period.
    public func stop(gracePeriod: Duration = .seconds(2)) async {
        await server.shutdown(gracePeriod: gracePeriod)
    }
}
