import Glibc
import Logging
import PhoenixSockets
import Synchronization

/// The server's state on one event loop: its connections and the buffers they borrow.
package final class LoopContext: @unchecked Sendable {
    // Safety: `connections`, `scratch` and `encodeBuffer` are used only on `loop`'s thread;
    // other threads reach this object only through `loop.execute`.

    /// The loop that owns every connection here.
    package let loop: EventLoop
    /// What all loops of the server share.
    package let shared: ServerShared
    /// The one read buffer of this loop: connections read into it and keep only leftovers.
    package let scratch: UnsafeMutableRawBufferPointer
    private var encodeBuffer: [UInt8] = []
    private var connections: [Int32: any ServedConnection] = [:]
    /// A descriptor held in reserve so a connection can be accepted and closed at EMFILE.
    private var spare: FileDescriptor? = LoopContext.openSpare()
    private var lastShedLog: UInt64 = 0

    init(loop: EventLoop, shared: ServerShared) {
        self.loop = loop
        self.shared = shared
        self.scratch = .allocate(byteCount: 64 * 1024, alignment: 16)
    }

    deinit {
        scratch.deallocate()
    }

    var connectionCount: Int { connections.count }

    /// Serves a newly accepted connection on this loop.
    func adopt(_ stream: SocketStream) {
        loop.assertInLoop()
        guard !shared.isShuttingDown else {  // made room on another loop while shutdown began
            stream.close()
            _ = shared.openConnections.subtract(1, ordering: .relaxed)
            return
        }
        serve(HTTPConnection(stream: stream, peer: stream.peer, context: self), stream: stream)
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
        do {
            try loop.register(connection, fd: stream.descriptor, interest: [.readable, .writable, .peerClosed, .edgeTriggered])
        } catch {
            shared.logger.debug("connection not registered", metadata: ["error.type": "\(error)"])
            stream.close()
            _ = shared.openConnections.subtract(1, ordering: .relaxed)
            return
        }
        connections[stream.descriptor] = connection
        connection.start()
    }

    /// Forgets a connection that closed (each connection calls this once, from `close()`).
    package func connectionClosed(_ connection: any ServedConnection) {
        if connections.removeValue(forKey: connection.fd) != nil {
            _ = shared.openConnections.subtract(1, ordering: .relaxed)
        }
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

    /// Turns away a connection when the limit is reached and none is idle.
    func refuse(_ stream: SocketStream) {
        let reply = Array("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\nRetry-After: 1\r\n\r\n".utf8)
        _ = reply.withUnsafeBytes { try? stream.write($0) }
        stream.close()
        _ = shared.openConnections.subtract(1, ordering: .relaxed)
    }

    func beginShutdown() {
        for connection in Array(connections.values) { connection.beginShutdown() }
    }

    func closeAll() {
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
