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
import PhoenixTLS
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

    @Option(name: .long, help: "PEM certificate chain: serve TLS on --listen (or on the only configured listener).")
    var tlsCert: String?

    @Option(name: .long, help: "The private key of --tls-cert.")
    var tlsKey: String?

    @Option(name: .long, help: "Seconds that requests in flight may take to finish on shutdown (overrides server.shutdown_grace).")
    var shutdownGrace: Int?

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    func run() async throws {
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = DeferredMetadataLogHandler(StreamLogHandler.standardError(label: label))
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "phoenix-dr")
        let configuration = try loadConfiguration(logger: logger)
        let (httpConfiguration, tlsServers) = try httpServerConfiguration(configuration.server, logger: logger)
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
        // SIGHUP is always trapped, so a reload sent to a server without TLS does not kill it.
        let reload = TLSReloadService(servers: tlsServers, logger: logger)
        let group = ServiceGroup(services: [service, reload] + engine.services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
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

    /// The HTTP server's settings from `server:`, with the command-line overrides applied, and
    /// the TLS side of each TLS listener (for reloads).
    private func httpServerConfiguration(_ server: ServerSettings, logger: Logger) throws -> (HTTPServerConfiguration, [TLSServer]) {
        var listeners = listen.map { [ListenerSpec(address: $0)] } ?? server.listeners
        if tlsCert != nil || tlsKey != nil {
            guard let tlsCert, let tlsKey else { throw ValidationError("--tls-cert and --tls-key go together") }
            guard listeners.count == 1 else {
                throw ValidationError("--tls-cert needs one listener: give --listen, or configure a single server.listeners entry")
            }
            listeners[0].tlsCertificates = [.init(chainFile: tlsCert, keyFile: tlsKey)]
        }
        var configuration = HTTPServerConfiguration(listen: [])
        var tlsServers: [TLSServer] = []
        for listener in listeners {
            let address: SocketAddress
            do {
                address = try SocketAddress(parsing: listener.address)
            } catch {
                throw ValidationError("\(listen == nil ? "server.listeners" : "--listen"): \(error)")
            }
            guard listener.isTLS else {
                configuration.listeners.append(.init(address: address))
                continue
            }
            let tls: TLSServer
            do {
                // ALPN offers h2 first: the HTTP/2 driver below serves it on TLS listeners too.
                tls = try TLSServer(configuration: .init(certificates: listener.tlsCertificates.map { .init(chainFile: $0.chainFile, keyFile: $0.keyFile) },
                                                         applicationProtocols: ["h2", "http/1.1"], handshakeTimeout: listener.tlsHandshakeTimeout),
                                    logger: logger)
            } catch {
                throw ValidationError("TLS on \(listener.address): \(error)")
            }
            tlsServers.append(tls)
            configuration.listeners.append(.init(address: address, security: tls))
        }
        configuration.connectionLimit = server.connectionLimit
        configuration.limits.maxBodyBytes = server.maxBodyBytes
        configuration.headerTimeout = server.headerTimeout
        configuration.idleTimeout = server.idleTimeout
        configuration.bodyTimeout = server.bodyTimeout
        // h2c with prior knowledge on plain listeners (API clients, dashboards); HTTP/1.1 stays.
        configuration.http2 = .nghttp2()
        return (configuration, tlsServers)
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
