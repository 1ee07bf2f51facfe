import CLinuxSystem
import Glibc

/// A connected, non-blocking TCP socket as a `ByteStream`.
public final class SocketStream: ByteStream, @unchecked Sendable {
    // Safety: a stream is used by one thread at a time: the acceptor hands it to exactly one
    // loop, which alone reads, writes and closes it; `fd` itself is a locked owner.
    private let fd: FileDescriptor
    private let raw: Int32
    /// The remote address, when the kernel reported one.
    public let peer: SocketAddress?

    /// Takes ownership of a connected, non-blocking socket.
    public init(taking fd: FileDescriptor, peer: SocketAddress?) {
        self.fd = fd
        self.raw = fd.rawValue
        self.peer = peer
    }

    public var descriptor: Int32 { raw }

    public var hasBufferedInput: Bool { false }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(SocketError) -> IOOutcome {
        try receive(into: buffer, flags: 0)
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(SocketError) -> IOOutcome {
        while true {
            // MSG_NOSIGNAL: a peer that went away must not raise SIGPIPE in the whole process.
            let count = send(raw, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
            if count >= 0 { return .transferred(count) }
            let code = phx_errno()
            switch code {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            case ECONNRESET, EPIPE: return .closed
            default: throw .syscall("send", errno: code)
            }
        }
    }

    /// Reads without consuming: the bytes stay for the next `read` (a TLS listener looks at the
    /// first byte to tell a handshake from plain text).
    public func peek(into buffer: UnsafeMutableRawBufferPointer) throws(SocketError) -> IOOutcome {
        try receive(into: buffer, flags: Int32(MSG_PEEK))
    }

    private func receive(into buffer: UnsafeMutableRawBufferPointer, flags: Int32) throws(SocketError) -> IOOutcome {
        while true {
            let count = recv(raw, buffer.baseAddress, buffer.count, flags)
            if count > 0 { return .transferred(count) }
            if count == 0 { return .closed }
            let code = phx_errno()
            switch code {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            case ECONNRESET, EPIPE, ETIMEDOUT: return .closed
            default: throw .syscall("recv", errno: code)
            }
        }
    }

    public func closeWrite() {
        _ = shutdown(raw, Int32(SHUT_WR))
    }

    public func close() {
        fd.close()
    }

    /// Sets a socket option, ignoring failure where it is only an optimisation.
    func setOption(level: Int32, name: Int32, value: Int32) {
        var value = value
        _ = setsockopt(raw, level, name, &value, socklen_t(MemoryLayout<Int32>.size))
    }
}
