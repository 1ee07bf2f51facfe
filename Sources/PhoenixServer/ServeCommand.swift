import ArgumentParser
import Logging
import PhoenixAPI
import PhoenixDomain
import PhoenixHTTP
import PhoenixSockets
import ServiceLifecycle
import UnixSignals

/// `phoenix-dr serve`: runs the API server until SIGTERM or SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the REST API and /health until SIGTERM or SIGINT."
    )

    @Option(name: .long, help: "Address to listen on, HOST:PORT or [IPV6]:PORT.")
    var listen: String = "127.0.0.1:8080"

    @Option(name: .long, help: "Seconds that requests in flight may take to finish on shutdown.")
    var shutdownGrace: Int = 10

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    func run() async throws {
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "phoenix-dr")
        let address: SocketAddress
        do {
            address = try SocketAddress(parsing: listen)
        } catch {
            throw ValidationError("--listen: \(error)")
        }
        ResourceLimits.ignoreBrokenPipe()
        let openFiles = ResourceLimits.raiseOpenFileLimit()
        logger.info("starting", metadata: ["version": "\(PhoenixVersion.current)", "limits.open_files": "\(openFiles)"])

        let probes = ProbeState()
        let router = APIRoutes.makeRouter(probes: probes, version: PhoenixVersion.current)
        let server = HTTPServer(configuration: HTTPServerConfiguration(listen: [address]), responder: router, logger: logger)
        let service = HTTPService(server: server, probes: probes, gracePeriod: .seconds(shutdownGrace), logger: logger)
        let group = ServiceGroup(services: [service], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
