import Logging
import PhoenixTLS
import ServiceLifecycle
import UnixSignals

/// Reloads every TLS listener's certificates on SIGHUP (and, without TLS, only says so). Connections open at the time keep their
/// session; a certificate that fails to load leaves the one in use in place, with an error logged.
struct TLSReloadService: Service {
    let servers: [TLSServer]
    let logger: Logger

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            if servers.isEmpty { logger.notice("SIGHUP: no TLS listener, nothing to reload") }
            for server in servers {
                do {
                    try server.reload()
                } catch {
                    logger.error("tls certificates not reloaded; the previous ones stay in use", metadata: ["error.message": "\(error)"])
                }
            }
        }
    }
}
