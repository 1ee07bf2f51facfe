import HTTPTypes
import Logging
import PhoenixHTTP
import PhoenixHTTPClient
import PhoenixTesting

/// Starting and always stopping the real things the tests talk to.
enum ClientHarness {
    static let mebibyte = 1024 * 1024
    static let quietLogger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Runs `body` with a fresh client, and shuts the client down on every path.
    static func withClient<T>(
        logger: Logger = quietLogger,
        _ configure: (inout HTTPClientConfiguration) -> Void = { _ in },
        _ body: (HTTPClient) async throws -> T
    ) async throws -> T {
        let client = try makeClient(logger: logger, configure)
        do {
            let value = try await body(client)
            await client.shutdown()
            return value
        } catch {
            await client.shutdown()
            throw error
        }
    }

    /// A client the test shuts down itself.
    static func makeClient(
        logger: Logger = quietLogger, _ configure: (inout HTTPClientConfiguration) -> Void = { _ in }
    ) throws -> HTTPClient {
        try HTTPClient.globalInitialize()
        var configuration = HTTPClientConfiguration()
        configure(&configuration)
        return try HTTPClient(configuration: configuration, logger: logger)
    }

    /// Runs `body` with our HTTP server on port 0 serving `ClientRoutes`, stopped on every path.
    static func withServer<T>(
        maxBodyBytes: Int = mebibyte,
        monitor: TestRoutes.SlowMonitor = TestRoutes.SlowMonitor(),
        _ body: (LiveServer) async throws -> T
    ) async throws -> T {
        let server = try LiveServer(responder: ClientRoutes.router(monitor: monitor)) { configuration in
            configuration.limits.maxBodyBytes = maxBodyBytes
        }
        do {
            let value = try await body(server)
            await server.stop(gracePeriod: .milliseconds(200))
            return value
        } catch {
            await server.stop(gracePeriod: .milliseconds(200))
            throw error
        }
    }

    /// Both of the above.
    static func withServerAndClient<T>(
        maxBodyBytes: Int = mebibyte,
        monitor: TestRoutes.SlowMonitor = TestRoutes.SlowMonitor(),
        configure: (inout HTTPClientConfiguration) -> Void = { _ in },
        _ body: (LiveServer, HTTPClient) async throws -> T
    ) async throws -> T {
        try await withServer(maxBodyBytes: maxBodyBytes, monitor: monitor) { server in
            try await withClient(configure) { client in try await body(server, client) }
        }
    }
}

extension HTTPClientResponse {
    /// The body as UTF-8 text.
    var text: String { String(decoding: body, as: UTF8.self) }
}
