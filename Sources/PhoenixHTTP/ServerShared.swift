import Logging
import Synchronization

/// What every loop of one server shares: configuration, responder, counters.
package final class ServerShared: Sendable {
    /// How the server was configured.
    package let configuration: HTTPServerConfiguration
    /// Answers every request, whichever protocol carried it.
    package let responder: any HTTPResponder
    /// The server's logger.
    package let logger: Logger
    /// The `Date` field value, formatted once per second.
    package let date: HTTPDate
    /// Open connections across all loops, checked against `connectionLimit` at accept.
    let openConnections = Atomic<Int>(0)
    private let shuttingDown = Atomic<Bool>(false)

    init(configuration: HTTPServerConfiguration, responder: any HTTPResponder, logger: Logger) {
        self.configuration = configuration
        self.responder = responder
        self.logger = logger
        self.date = HTTPDate(now: configuration.wallClock)
    }

    /// Set once graceful shutdown begins: responses then carry `Connection: close`.
    package var isShuttingDown: Bool {
        shuttingDown.load(ordering: .relaxed)
    }

    func beginShutdown() {
        shuttingDown.store(true, ordering: .releasing)
    }
}
