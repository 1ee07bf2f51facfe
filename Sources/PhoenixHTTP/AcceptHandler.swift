import Glibc
import Logging
import PhoenixSockets
import Synchronization

/// Accepts connections from a listener shared by all loops (registered with EPOLLEXCLUSIVE, so
/// one loop wakes per burst) and enforces the connection limit.
final class AcceptHandler: EventHandler, @unchecked Sendable {
    // Safety: all properties are immutable; it runs only on its own loop, and reaches other loops
    // only through `execute`.
    let listener: ListeningSocket
    /// TLS for this listener's connections; nil for plain HTTP.
    let security: (any StreamSecurity)?
    unowned let context: LoopContext
    /// Every loop's context, for making room on another loop at the limit.
    let peers: [LoopContext]

    init(listener: ListeningSocket, security: (any StreamSecurity)?, context: LoopContext, peers: [LoopContext]) {
        self.listener = listener
        self.security = security
        self.context = context
        self.peers = peers
    }

    func handleReadiness(_ readiness: Readiness) {
        // A bounded batch, so a connection storm cannot starve the loop's other sockets.
        for _ in 0..<64 {
            let stream: SocketStream?
            do {
                stream = try listener.accept()
            } catch .syscall(_, let code) where code == EMFILE || code == ENFILE {
                // Out of descriptors: the listener stays readable, so returning would spin.
                // Free the spare descriptor, accept and drop one connection, take the spare back.
                context.shedOneConnection(from: listener)
                return
            } catch {
                context.shared.logger.warning("accept failed", metadata: ["error.type": "\(error)"])
                return
            }
            guard let stream else { return }
            admit(stream)
        }
    }

    func handleDeadline() {}

    private func admit(_ stream: SocketStream) {
        let limit = context.shared.configuration.connectionLimit
        let open = context.shared.openConnections.add(1, ordering: .relaxed).newValue
        if open <= limit || context.evictOldestIdle() {
            context.adopt(stream, security: security)
            return
        }
        makeRoom(for: stream, trying: peers.filter { $0 !== context }[...])
    }

    /// Asks the other loops in turn to close an idle connection; refuses when none can.
    private func makeRoom(for stream: SocketStream, trying candidates: ArraySlice<LoopContext>) {
        let origin = context
        guard let next = candidates.first else {
            origin.refuse(stream, plainHTTP: security == nil)
            return
        }
        next.loop.execute { [self] in
            let evicted = next.evictOldestIdle()
            origin.loop.execute { [self] in
                if evicted { origin.adopt(stream, security: security) } else { makeRoom(for: stream, trying: candidates.dropFirst()) }
            }
        }
    }
}
