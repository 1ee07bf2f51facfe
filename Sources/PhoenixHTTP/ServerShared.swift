import Logging
import Synchronization

/// What every loop of one server shares: configuration, responder, counters.
final class ServerShared: Sendable {
    let configuration: HTTPServerConfiguration
    let responder: any HTTPResponder
    let logger: Logger
    let date: HTTPDate
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
    var isShuttingDown: Bool {
        shuttingDown.load(ordering: .relaxed)
    }

    func beginShutdown() {
        shuttingDown.store(true, ordering: .releasing)
    }
}
