import Logging
import PhoenixSockets

/// A connection on a TLS listener until its handshake is done; then `LoopContext` serves HTTP
/// on it. A handshake that does not finish within its timeout is dropped, and plain HTTP sent
/// to the TLS port gets a plain 400 before the connection closes.
final class HandshakeConnection: EventHandler, @unchecked Sendable {
    // Safety: touched only on `context.loop`'s thread.

    private static let plaintextReply: [UInt8] = {
        let body = "This port speaks HTTPS: use https:// URLs.\n"
        return Array("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)".utf8)
    }()

    let stream: any HandshakingStream
    /// The socket under the TLS session: its peer, and the plain answer to plain HTTP.
    let plain: SocketStream
    let fd: Int32
    let startedAt: UInt64
    private let timeout: Duration
    unowned let context: LoopContext
    private var isLingering = false
    private var isClosed = false

    init(stream: any HandshakingStream, plain: SocketStream, timeout: Duration, context: LoopContext) {
        self.stream = stream
        self.plain = plain
        self.fd = stream.descriptor
        self.timeout = timeout
        self.context = context
        startedAt = MonotonicClock.now()
    }

    func start() {
        context.loop.setDeadline(MonotonicClock.deadline(after: timeout), for: fd)
        advance()
    }

    func handleReadiness(_ readiness: Readiness) {
        if isLingering { drain() } else { advance() }
    }

    func handleDeadline() {
        if !isLingering { context.shared.logger.debug("tls handshake timed out", metadata: ["peer.address": "\(plain.peer.map { "\($0)" } ?? "-")"]) }
        close()
    }

    private func advance() {
        switch stream.handshake() {
        case .wouldBlock:
            return
        case .complete:
            isClosed = true  // handed over: the stream now belongs to the HTTP connection
            context.handshakeCompleted(self)
        case .plaintext:
            answerPlaintext()
        case .failed(let reason):
            context.shared.logger.debug("tls handshake failed", metadata: ["peer.address": "\(plain.peer.map { "\($0)" } ?? "-")", "error.message": "\(reason)"])
            close()
        }
    }

    /// Answers once, ends our side, and reads what the client still sends for a moment, so the
    /// kernel does not reset the connection before the client has read the answer.
    private func answerPlaintext() {
        isLingering = true
        _ = Self.plaintextReply.withUnsafeBytes { try? plain.write($0) }
        plain.closeWrite()
        context.loop.setDeadline(MonotonicClock.deadline(after: context.shared.configuration.lingerTimeout), for: fd)
        drain()
    }

    private func drain() {
        let scratch = context.scratch
        // Bounded: a client that keeps sending raises new edges, and the deadline ends it.
        for _ in 0..<64 {
            switch try? plain.read(into: scratch) {
            case .transferred: continue
            case .wouldBlock: return
            case .closed, nil:
                close()
                return
            }
        }
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        context.loop.deregister(fd: fd)
        stream.close()
        context.handshakeEnded(self)
    }
}
