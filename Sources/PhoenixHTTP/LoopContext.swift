import Glibc
import Logging
import PhoenixSockets
import Synchronization

/// The server's state on one event loop: its connections and the buffers they borrow.
package final class LoopContext: @unchecked Sendable {
    // Safety: `connections`, `handshakes`, `scratch` and `encodeBuffer` are used only on
    // `loop`'s thread; other threads reach this object only through `loop.execute`.

    /// The loop that owns every connection here.
    package let loop: EventLoop
    /// What all loops of the server share.
    package let shared: ServerShared
    /// The one read buffer of this loop: connections read into it and keep only leftovers.
    package let scratch: UnsafeMutableRawBufferPointer
    private var encodeBuffer: [UInt8] = []
    private var connections: [Int32: any ServedConnection] = [:]
    /// TLS connections still in their handshake.
    private var handshakes: [Int32: HandshakeConnection] = [:]
    /// A descriptor held in reserve so a connection can be accepted and closed at EMFILE.
    private var spare: FileDescriptor? = LoopContext.openSpare()
    private var lastShedLog: UInt64 = 0
    /// The most connections this loop held since memory was last handed back.
    private var highWater = 0
    /// Connections closed on this loop since memory was last handed back.
    private var closedSinceRelease = 0

    init(loop: EventLoop, shared: ServerShared) {
        self.loop = loop
        self.shared = shared
        self.scratch = .allocate(byteCount: 64 * 1024, alignment: 16)
    }

    deinit {
        scratch.deallocate()
    }

    var connectionCount: Int { connections.count + handshakes.count }

    /// Serves a newly accepted connection on this loop: at once, or after its TLS handshake.
    func adopt(_ stream: SocketStream, security: (any StreamSecurity)?) {
        loop.assertInLoop()
        guard !shared.isShuttingDown else {  // made room on another loop while shutdown began
            stream.close()
            _ = shared.openConnections.subtract(1, ordering: .relaxed)
            return
        }
        guard let security else {
            serve(HTTPConnection(stream: stream, peer: stream.peer, context: self), stream: stream)
            return
        }
        let secured: any HandshakingStream
        do {
            secured = try security.secure(stream)
        } catch {
            shared.logger.warning("tls session not created", metadata: ["error.type": "\(error)"])
            stream.close()
            _ = shared.openConnections.subtract(1, ordering: .relaxed)
            return
        }
        let handshake = HandshakeConnection(stream: secured, plain: stream, timeout: security.handshakeTimeout, context: self)
        guard register(handshake, fd: stream.descriptor, closing: secured) else { return }
        handshakes[stream.descriptor] = handshake
        noteAdopted()
        handshake.start()
    }

    /// Serves `stream` with HTTP/2: for a TLS connection whose ALPN chose `h2`, or a plain one
    /// that began with the h2c preface. The stream must be counted in `openConnections` and
    /// registered with no loop; without an HTTP/2 driver it is closed.
    package func serveHTTP2(stream: any ByteStream, peer: SocketAddress?, initialBytes: [UInt8]) {
        loop.assertInLoop()
        guard let connection = shared.configuration.http2?.makeConnection(stream, peer, self, initialBytes) else {
            stream.close()
            _ = shared.openConnections.subtract(1, ordering: .relaxed)
            return
        }
        serve(connection, stream: stream)
    }

    /// Moves a plain connection whose first bytes were the h2c preface from its HTTP/1
    /// handler to an HTTP/2 one, on the same descriptor and without counting it twice.
    func handOverToHTTP2(_ connection: HTTPConnection, initialBytes: [UInt8]) {
        loop.deregister(fd: connection.fd)
        connections.removeValue(forKey: connection.fd)
        serveHTTP2(stream: connection.stream, peer: connection.peer, initialBytes: initialBytes)
    }

    private func serve(_ connection: any ServedConnection, stream: any ByteStream) {
        guard register(connection, fd: stream.descriptor, closing: stream) else { return }
        connections[stream.descriptor] = connection
        noteAdopted()
        connection.start()
    }

    /// Edge-triggered in both directions: a TLS read may need a write first, and back.
    private func register(_ handler: any EventHandler, fd: Int32, closing stream: any ByteStream) -> Bool {
        do {
            try loop.register(handler, fd: fd, interest: [.readable, .writable, .peerClosed, .edgeTriggered])
            return true
        } catch {
            shared.logger.debug("connection not registered", metadata: ["error.type": "\(error)"])
            stream.close()
            _ = shared.openConnections.subtract(1, ordering: .relaxed)
            return false
        }
    }

    /// The handshake is done: the same descriptor now carries HTTP/2 when ALPN chose `h2`,
    /// HTTP/1.1 otherwise.
    func handshakeCompleted(_ handshake: HandshakeConnection) {
        handshakes.removeValue(forKey: handshake.fd)
        loop.deregister(fd: handshake.fd)
        if handshake.stream.negotiatedProtocol == "h2" {
            serveHTTP2(stream: handshake.stream, peer: handshake.plain.peer, initialBytes: [])
        } else {
            serve(HTTPConnection(stream: handshake.stream, peer: handshake.plain.peer, context: self), stream: handshake.stream)
        }
    }

    func handshakeEnded(_ handshake: HandshakeConnection) {
        if handshakes.removeValue(forKey: handshake.fd) != nil {
            _ = shared.openConnections.subtract(1, ordering: .relaxed)
            releaseMemoryAfterABurst()
        }
    }

    /// Forgets a connection that closed (each connection calls this once, from `close()`).
    package func connectionClosed(_ connection: any ServedConnection) {
        if connections.removeValue(forKey: connection.fd) != nil {
            _ = shared.openConnections.subtract(1, ordering: .relaxed)
            releaseMemoryAfterABurst()
        }
    }

    /// Once a burst of connections (a storm of stalled TLS handshakes, say) has drained, hands
    /// the memory they used back to the kernel: malloc keeps freed heap for the backups' buffers,
    /// so without this the process would stay at its peak. A burst is 256 closed connections
    /// since the last time; drained is down to a 64th of the most held (or 4). A few
    /// milliseconds, once per burst.
    private func releaseMemoryAfterABurst() {
        closedSinceRelease += 1
        let count = connectionCount
        guard closedSinceRelease >= 256, count <= max(highWater / 64, 4) else { return }
        closedSinceRelease = 0
        highWater = count
        ResourceLimits.releaseFreedMemory()
    }

    private func noteAdopted() {
        highWater = max(highWater, connectionCount)
    }

    /// Closes this loop's oldest idle connection, keep-alive ones before never-used ones; false
    /// when none is idle.
    ///
    /// A linear scan: it runs only when the server is at its connection limit.
    func evictOldestIdle() -> Bool {
        loop.assertInLoop()
        var oldest: (connection: any ServedConnection, rank: Int)?
        for connection in connections.values {
            guard let rank = connection.evictionRank else { continue }
            if let current = oldest, (current.rank, current.connection.idleSince) <= (rank, connection.idleSince) { continue }
            oldest = (connection, rank)
        }
        // A handshake not finished yet ranks with a connection that never sent a request.
        let stalled = handshakes.values.min { $0.startedAt < $1.startedAt }
        if let stalled, oldest.map({ $0.rank == 1 && stalled.startedAt < $0.connection.idleSince }) ?? true {
            shared.logger.debug("evicted tls handshake at the limit", metadata: ["peer.address": "\(stalled.plain.peer.map { "\($0)" } ?? "-")"])
            stalled.close()
            return true
        }
        guard let oldest = oldest?.connection else { return false }
        shared.logger.debug("evicted idle connection at the limit", metadata: ["peer.address": "\(oldest.peer.map { "\($0)" } ?? "-")"])
        oldest.close()
        return true
    }

    /// Accepts and drops one connection using the spare descriptor kept for this (EMFILE).
    func shedOneConnection(from listener: ListeningSocket) {
        spare?.close()
        if let stream = try? listener.accept() { stream.close() }
        spare = Self.openSpare()
        let now = MonotonicClock.now()
        if now - lastShedLog > 1_000_000_000 {
            lastShedLog = now
            shared.logger.warning("out of file descriptors: dropping new connections")
        }
    }

    private static func openSpare() -> FileDescriptor? {
        let fd = open("/dev/null", O_RDONLY | O_CLOEXEC)
        return fd >= 0 ? FileDescriptor(taking: fd) : nil
    }

    /// Turns away a connection when the limit is reached and none is idle: with a 503 where the
    /// client reads plain HTTP, by closing it on a TLS listener.
    func refuse(_ stream: SocketStream, plainHTTP: Bool) {
        if plainHTTP {
            let reply = Array("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\nRetry-After: 1\r\n\r\n".utf8)
            _ = reply.withUnsafeBytes { try? stream.write($0) }
        }
        stream.close()
        _ = shared.openConnections.subtract(1, ordering: .relaxed)
    }

    func beginShutdown() {
        for handshake in Array(handshakes.values) { handshake.close() }
        for connection in Array(connections.values) { connection.beginShutdown() }
    }

    func closeAll() {
        for handshake in Array(handshakes.values) { handshake.close() }
        for connection in Array(connections.values) { connection.close() }
    }

    /// Lends the loop's encode buffer to one response at a time.
    func takeEncodeBuffer() -> [UInt8] {
        var buffer: [UInt8] = []
        swap(&buffer, &encodeBuffer)
        return buffer
    }

    func returnEncodeBuffer(_ buffer: [UInt8]) {
        var buffer = buffer
        buffer.removeAll(keepingCapacity: buffer.capacity <= 256 * 1024)
        encodeBuffer = buffer
    }
}
