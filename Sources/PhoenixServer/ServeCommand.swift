import ArgumentParser
import Foundation
import Logging
import PhoenixAPI
import PhoenixConfig
import PhoenixDomain
import PhoenixHTTP
import PhoenixHTTP2
import PhoenixHTTPClient
import PhoenixSockets
import ServiceLifecycle
import UnixSignals

/// `phoenix-dr serve`: runs the API server until SIGTERM or SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the REST API and /health until SIGTERM or SIGINT."
    )

    @Option(name: .long, help: "The YAML configuration file; without one, the embedded defaults.")
    var config: String?

    @Option(name: .long, help: "Address to listen on, HOST:PORT or [IPV6]:PORT (overrides server.listeners).")
    var listen: String?

    @Option(name: .long, help: "Seconds that requests in flight may take to finish on shutdown (overrides server.shutdown_grace).")
    var shutdownGrace: Int?

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
        let configuration = try loadConfiguration(logger: logger)
        let httpConfiguration = try httpServerConfiguration(configuration.server)
        ResourceLimits.ignoreBrokenPipe()
        ResourceLimits.tuneMallocForStreaming()
        let openFiles = ResourceLimits.raiseOpenFileLimit()
        logger.info("starting", metadata: ["version": "\(PhoenixVersion.current)", "limits.open_files": "\(openFiles)"])

        let workerID = "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"
        let engine = try await EngineServices.make(configuration: configuration, workerID: workerID, logger: logger)
        let tokens = try AdminTokenBootstrap.tokens(for: configuration, logger: logger)
        let probes = ProbeState()
        let api = APIServices(configuration: configuration, catalog: engine.catalog, now: WallClock.system,
                              instance: APIServices.Instance(id: workerID, leadership: engine.leadership), stores: engine.stores,
                              wakeup: engine.wakeup)
        let router = APIRoutes.makeRouter(probes: probes, version: PhoenixVersion.current, services: api, tokens: tokens)
        let server = HTTPServer(configuration: httpConfiguration, responder: router, logger: logger)
        let grace = shutdownGrace.map { Duration.seconds($0) } ?? configuration.server.shutdownGrace
        let service = HTTPService(server: server, probes: probes, gracePeriod: grace, logger: logger)
        let group = ServiceGroup(services: [service] + engine.services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        do {
            try await group.run()
        } catch {
            await engine.http?.shutdown()
            throw error
        }
        await engine.http?.shutdown()
    }
}

extension ServeCommand {
    /// The file given with `--config`, or the embedded defaults; warnings are logged.
    private func loadConfiguration(logger: Logger) throws -> PhoenixConfiguration {
        guard let config else { return EmbeddedDefaults.configuration }
        switch ConfigFile.load(config) {
        case .success(let loaded):
            for warning in loaded.warnings { logger.warning("configuration", metadata: ["config.warning": "\(warning)"]) }
            return loaded.configuration
        case .failure(let failure):
            throw ValidationError("--config \(config):\n" + failure.errors.map(\.description).joined(separator: "\n"))
        }
    }

    /// The HTTP server's settings from `server:`, with the command-line overrides applied.
    private func httpServerConfiguration(_ server: ServerSettings) throws -> HTTPServerConfiguration {
        let listeners = listen.map { [ListenerSpec(address: $0)] } ?? server.listeners
        var addresses: [SocketAddress] = []
        for listener in listeners {
            guard listener.tlsCertificateFile == nil else {
                throw ValidationError("server.listeners: TLS listeners are not supported yet (\(listener.address))")
            }
            do {
                addresses.append(try SocketAddress(parsing: listener.address))
            } catch {
                throw ValidationError("\(listen == nil ? "server.listeners" : "--listen"): \(error)")
            }
        }
        var configuration = HTTPServerConfiguration(listen: addresses)
        configuration.connectionLimit = server.connectionLimit
        configuration.limits.maxBodyBytes = server.maxBodyBytes
        configuration.headerTimeout = server.headerTimeout
        configuration.idleTimeout = server.idleTimeout
        configuration.bodyTimeout = server.bodyTimeout
        // h2c with prior knowledge on plain listeners (API clients, dashboards); HTTP/1.1 stays.
        configuration.http2 = .nghttp2()
        return configuration
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
