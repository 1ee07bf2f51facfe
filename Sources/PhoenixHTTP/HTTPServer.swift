import Dispatch
import Logging
import PhoenixSockets
import Synchronization

/// An HTTP/1.1 server on our own epoll loops: no SwiftNIO.
///
/// ```swift
/// let server = HTTPServer(configuration: .init(listen: [try SocketAddress(parsing: "127.0.0.1:8080")]),
///                         responder: router, logger: logger)
/// let addresses = try server.start()
/// // ...
/// await server.shutdown(gracePeriod: .seconds(10))
/// ```
public final class HTTPServer: Sendable {
    private struct Running: Sendable {
        var group: EventLoopGroup
        var contexts: [LoopContext]
        var listeners: [ListeningSocket]
        var acceptors: [AcceptHandler]
    }

    private let shared: ServerShared
    private let running = Mutex<Running?>(nil)

    /// Creates a server; nothing listens until `start()`.
    public init(configuration: HTTPServerConfiguration, responder: any HTTPResponder, logger: Logger) {
        shared = ServerShared(configuration: configuration, responder: responder, logger: logger)
    }

    /// The configuration the server was created with.
    public var configuration: HTTPServerConfiguration { shared.configuration }

    /// Connections open right now, across all loops.
    public var openConnections: Int { shared.openConnections.load(ordering: .relaxed) }

    /// Binds every listen address, starts the loops and begins accepting.
    /// - Returns: the bound addresses (with real ports where 0 was asked for).
    /// - Throws: `SocketError` when an address cannot be bound.
    @discardableResult
    public func start() throws(SocketError) -> [SocketAddress] {
        warnIfDescriptorsCannotCoverTheLimit()
        var listeners: [ListeningSocket] = []
        for listener in shared.configuration.listeners {
            listeners.append(try ListeningSocket(binding: listener.address))
        }
        let group = try EventLoopGroup(count: shared.configuration.loopCount, namePrefix: "phx-http")
        let contexts = group.loops.map { LoopContext(loop: $0, shared: shared) }
        var acceptors: [AcceptHandler] = []
        for context in contexts {
            for (listener, spec) in zip(listeners, shared.configuration.listeners) {
                let acceptor = AcceptHandler(listener: listener, security: spec.security, context: context, peers: contexts)
                acceptors.append(acceptor)
                context.loop.execute {
                    do {
                        try context.loop.register(acceptor, fd: listener.fd.rawValue, interest: [.readable, .exclusive])
                    } catch {
                        context.shared.logger.error("listener not registered", metadata: ["error.type": "\(error)"])
                    }
                }
            }
        }
        running.withLock { $0 = Running(group: group, contexts: contexts, listeners: listeners, acceptors: acceptors) }
        let addresses = listeners.map(\.address)
        shared.logger.info("http server listening", metadata: ["server.addresses": "\(addresses.map(\.description))"])
        return addresses
    }

    /// Each connection needs a descriptor; say so at start rather than failing at load.
    private func warnIfDescriptorsCannotCoverTheLimit() {
        let limit = ResourceLimits.openFileLimit()
        if limit < UInt64(shared.configuration.connectionLimit) + 128 {
            shared.logger.warning("open-file limit below the connection limit", metadata: [
                "limits.open_files": "\(limit)",
                "server.connection_limit": "\(shared.configuration.connectionLimit)",
            ])
        }
    }

    /// The bound addresses, once started.
    public var addresses: [SocketAddress] {
        running.withLock { $0?.listeners.map(\.address) ?? [] }
    }

    /// Graceful shutdown: stop accepting, close idle connections, let requests in flight finish
    /// within `gracePeriod`, then close whatever is left and stop the loops.
    public func shutdown(gracePeriod: Duration) async {
        guard let state = running.withLock({ value -> Running? in
            let taken = value
            value = nil
            return taken
        }) else { return }
        shared.beginShutdown()
        await Self.onEveryLoop(state.contexts) { context in
            for listener in state.listeners { context.loop.deregister(fd: listener.fd.rawValue) }
            context.beginShutdown()
        }
        state.listeners.forEach { $0.fd.close() }
        let deadline = ContinuousClock.now + gracePeriod
        while openConnections > 0 && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        await Self.onEveryLoop(state.contexts) { $0.closeAll() }
        // Joining the loop threads blocks: do it off the cooperative pool.
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                state.group.shutdown()
                continuation.resume()
            }
        }
        shared.logger.info("http server stopped")
    }

    private static func onEveryLoop(_ contexts: [LoopContext], _ body: @escaping @Sendable (LoopContext) -> Void) async {
        for context in contexts {
            await withCheckedContinuation { continuation in
                context.loop.execute {
                    body(context)
                    continuation.resume()
                }
            }
        }
    }
}
