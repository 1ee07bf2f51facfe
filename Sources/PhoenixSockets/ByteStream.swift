/// What one non-blocking read or write did.
public enum IOOutcome: Sendable, Equatable {
    /// This many bytes were read or written (never 0 for a write).
    case transferred(Int)
    /// Nothing can be done now; retry on the next readiness event.
    case wouldBlock
    /// The peer closed its side (a read of 0 bytes, or a write to a reset connection).
    case closed
}

/// A non-blocking, ordered byte stream: a plain socket now, a TLS session later.
///
/// The HTTP layer speaks only to this protocol, so TLS slots in without touching HTTP code.
/// Every call happens on the event loop that owns the stream. A `.wouldBlock` outcome may be
/// caused by either direction (a TLS read can need a write first), so the owner registers for both
/// and retries whatever is pending on any readiness event.
public protocol ByteStream: AnyObject {
    /// The descriptor the event loop watches for readiness.
    var descriptor: Int32 { get }
    /// Reads into `buffer`.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(SocketError) -> IOOutcome
    /// Writes from `bytes`; may write fewer bytes than given.
    func write(_ bytes: UnsafeRawBufferPointer) throws(SocketError) -> IOOutcome
    /// Whether the stream holds input it has already taken from the socket (TLS records
    /// decrypted but not yet read): then a short read does not mean the socket is drained.
    var hasBufferedInput: Bool { get }
    /// Ends our sending side (a TCP FIN, a TLS close_notify) while still reading.
    func closeWrite()
    /// Closes the stream. Later calls do nothing.
    func close()
}
