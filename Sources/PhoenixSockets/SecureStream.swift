/// What one step of a handshake did.
public enum HandshakeOutcome: Sendable, Equatable {
    /// The session is established: application bytes may flow.
    case complete
    /// Waiting for the peer; retry on the next readiness event (either direction).
    case wouldBlock
    /// The peer's first bytes are not a handshake: plain text, e.g. HTTP sent to a TLS port.
    case plaintext
    /// The handshake failed, or the peer went away; the reason is for a debug log.
    case failed(String)
}

/// A `ByteStream` that needs a handshake before it carries application bytes (a TLS session).
public protocol HandshakingStream: ByteStream {
    /// Advances the handshake without blocking.
    func handshake() -> HandshakeOutcome
    /// The application protocol the handshake agreed on (ALPN), if any.
    var negotiatedProtocol: String? { get }
}

/// Secures the connections accepted on one listener (TLS), so the HTTP layer never meets the
/// library that does it.
public protocol StreamSecurity: Sendable {
    /// Wraps an accepted socket; the returned stream owns it.
    func secure(_ stream: SocketStream) throws(SocketError) -> any HandshakingStream
    /// How long a handshake may take before the connection is dropped.
    var handshakeTimeout: Duration { get }
}
