import PhoenixSockets

/// Reading on an edge-triggered loop, the same for HTTP/1.1 and HTTP/2 connections: epoll
/// reports new input once, so a connection must know when it has read all there is.
extension ByteStream {
    /// Whether a readiness event lets reading make progress again: input or an end arrived, or
    /// the socket takes writes again while the stream holds input (a TLS read that had to write
    /// first).
    package func mayRead(after readiness: Readiness) -> Bool {
        !readiness.isDisjoint(with: [.readable, .peerClosed, .failed]) || (readiness.contains(.writable) && hasBufferedInput)
    }

    /// Reads into `buffer`, and clears `canRead` when no more input comes before the next edge:
    /// the read would block, or a short read drained the socket (as nginx assumes), unless the
    /// peer's FIN is pending or the stream buffers input itself.
    /// - Returns: the count of bytes read (0 when none); nil when the stream closed or failed.
    package func readEdgeTriggered(into buffer: UnsafeMutableRawBufferPointer, canRead: inout Bool, peerClosed: Bool) -> Int? {
        let outcome: IOOutcome
        do {
            outcome = try read(into: buffer)
        } catch {
            return nil
        }
        switch outcome {
        case .wouldBlock:
            canRead = false
            return 0
        case .closed:
            return nil
        case .transferred(let count):
            if count < buffer.count && !peerClosed && !hasBufferedInput { canRead = false }
            return count
        }
    }
}
