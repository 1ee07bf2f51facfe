import COpenSSL
import Glibc
import PhoenixSockets

/// A server-side TLS session over a non-blocking socket, as the `ByteStream` the HTTP layer
/// speaks. Every call happens on the loop thread that owns the connection.
final class TLSStream: HandshakingStream, @unchecked Sendable {
    // Safety: confined to one loop thread, like the socket it wraps.

    /// The first byte of a TLS handshake record.
    private static let handshakeRecord: UInt8 = 0x16

    private let socket: SocketStream
    private let ssl: OpaquePointer
    /// What the BIO under `ssl` knows of the socket; freed after `ssl`.
    private let bioState: UnsafeMutablePointer<SocketBIO.State>
    /// Keeps the SNI and ALPN callbacks' target alive for this session, across reloads.
    private let contexts: TLSContextSet
    private var hasSeenFirstByte = false
    private var isEstablished = false
    /// After a fatal error OpenSSL forbids SSL_shutdown; and it is sent at most once.
    private var mayShutDown = true
    private var isClosed = false
    /// The last read stopped because OpenSSL must write first (a TLS 1.3 KeyUpdate answer).
    private var readWantsWrite = false
    /// The peer's close_notify or a fatal error came after data the last read returned: the
    /// next read reports the end.
    private var hasPendingEnd = false

    init(socket: SocketStream, contexts: TLSContextSet) throws(SocketError) {
        TLSError.drainErrorQueue()
        guard let ssl = SSL_new(contexts.defaultContext) else { throw .syscall("SSL_new", errno: ENOMEM) }
        let state = UnsafeMutablePointer<SocketBIO.State>.allocate(capacity: 1)
        state.initialize(to: .init(fd: socket.descriptor))
        guard let bio = SocketBIO.make(state) else {
            SSL_free(ssl)
            state.deallocate()
            throw .syscall("BIO_new", errno: ENOMEM)
        }
        SSL_set_bio(ssl, bio, bio)  // the session owns the BIO from here
        SSL_set_accept_state(ssl)
        self.socket = socket
        self.ssl = ssl
        self.bioState = state
        self.contexts = contexts
    }

    deinit {
        close()
    }

    var descriptor: Int32 { socket.descriptor }

    var negotiatedProtocol: String? {
        guard !isClosed else { return nil }
        var name: UnsafePointer<UInt8>?
        var length: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &name, &length)
        guard let name, length > 0 else { return nil }
        return String(decoding: UnsafeBufferPointer(start: name, count: Int(length)), as: UTF8.self)
    }

    func handshake() -> HandshakeOutcome {
        guard !isClosed else { return .failed("closed") }
        if !hasSeenFirstByte {
            // Plain HTTP to a TLS port gets a plain answer from the caller instead of an alert
            // the client cannot read.
            var first: [UInt8] = [0]
            let outcome = first.withUnsafeMutableBytes { buffer in
                Result { () throws(SocketError) -> IOOutcome in try socket.peek(into: buffer) }
            }
            switch outcome {
            case .success(.wouldBlock): return .wouldBlock
            case .success(.closed): return .failed("closed before the handshake")
            case .failure(let error): return .failed("\(error)")
            case .success(.transferred):
                hasSeenFirstByte = true
                if first[0] != Self.handshakeRecord { return .plaintext }
            }
        }
        ERR_clear_error()
        let result = SSL_do_handshake(ssl)
        if result == 1 {
            isEstablished = true
            return .complete
        }
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            return .wouldBlock
        default:
            mayShutDown = false
            return .failed(TLSError.openSSL("handshake").description)
        }
    }

    /// Reads records until `buffer` is full or the socket is drained, so that a short read means
    /// what it means on a plain socket: no more input until the next readiness edge.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(SocketError) -> IOOutcome {
        guard !isClosed, !hasPendingEnd, let base = buffer.baseAddress else { return .closed }
        readWantsWrite = false
        var total = 0
        while total < buffer.count {
            // Other OpenSSL users on this thread (a handler's crypto) may have left entries,
            // which would make SSL_get_error report a fatal error for a plain WANT_READ.
            ERR_clear_error()
            var count = 0
            let result = SSL_read_ex(ssl, base + total, buffer.count - total, &count)
            if result == 1 {
                total += count
                // The socket gave all it had and OpenSSL holds no more: as drained as a plain
                // socket after a short read, without another read(2) to hear EAGAIN.
                if bioState.pointee.isDrained && SSL_has_pending(ssl) == 0 { return .transferred(total) }
                continue
            }
            let error = SSL_get_error(ssl, result)
            if error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE {
                readWantsWrite = error == SSL_ERROR_WANT_WRITE
                return total > 0 ? .transferred(total) : .wouldBlock
            }
            if error != SSL_ERROR_ZERO_RETURN {  // not the peer's close_notify: a broken session
                mayShutDown = false
                TLSError.drainErrorQueue()
            }
            // The end comes after the data already read: say it on the next read.
            hasPendingEnd = total > 0
            return total > 0 ? .transferred(total) : .closed
        }
        return .transferred(total)
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(SocketError) -> IOOutcome {
        guard !isClosed else { return .closed }
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return .transferred(0) }
        ERR_clear_error()
        var count = 0
        let result = SSL_write_ex(ssl, base, bytes.count, &count)
        if result == 1 { return .transferred(count) }
        let error = SSL_get_error(ssl, result)
        if error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE { return .wouldBlock }
        mayShutDown = false
        TLSError.drainErrorQueue()
        return .closed
    }

    /// Also true while a read waits to write first, or an end waits to be reported: either way
    /// the owner must read again without a new readable edge.
    var hasBufferedInput: Bool {
        !isClosed && (readWantsWrite || hasPendingEnd || SSL_has_pending(ssl) == 1)
    }

    /// Sends close_notify, then the TCP FIN; reading goes on.
    func closeWrite() {
        guard !isClosed else { return }
        sendCloseNotify()
        socket.closeWrite()
    }

    func close() {
        guard !isClosed else { return }
        sendCloseNotify()
        isClosed = true
        SSL_free(ssl)  // frees the BIO too, which never closes the descriptor
        bioState.deallocate()
        socket.close()
    }

    /// Best effort and non-blocking: a peer that does not read it loses nothing.
    private func sendCloseNotify() {
        guard isEstablished, mayShutDown, !isClosed else { return }
        mayShutDown = false
        ERR_clear_error()
        _ = SSL_shutdown(ssl)
        TLSError.drainErrorQueue()
    }
}
