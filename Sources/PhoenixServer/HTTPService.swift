import Logging
import PhoenixDomain
import PhoenixHTTP
import ServiceLifecycle

/// The HTTP server as a service of the group: ready once listening, not ready from the moment
/// graceful shutdown starts, stopped after requests in flight finish.
struct HTTPService: Service {
    let server: HTTPServer
    let probes: ProbeState
    let gracePeriod: Duration
    let logger: Logger

    func run() async throws {
        try server.start()
        probes.setReady(true)
        // Returns on graceful shutdown (SIGTERM/SIGINT); throws if the task is cancelled instead.
        try? await gracefulShutdown()
        probes.setReady(false)
        logger.info("shutting down", metadata: ["shutdown.grace_seconds": "\(gracePeriod.components.seconds)"])
        await server.shutdown(gracePeriod: gracePeriod)
    }
}
