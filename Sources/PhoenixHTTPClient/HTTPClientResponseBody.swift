/// A response body read piece by piece, with backpressure: while the consumer is more than the
/// client's `streamBufferBytes` behind, curl is paused, so memory stays bounded for any size.
///
/// Valid only inside the `execute(_:handler:)` closure that received it; iterate it from one
/// task. A transfer that fails after its head throws from `next()`: a short body never ends as
/// if it were complete.
public struct HTTPClientResponseBody: AsyncSequence, Sendable {
    /// A piece of the body: whatever arrived since the previous piece.
    public typealias Element = [UInt8]

    let transfer: Transfer

    /// Creates an iterator; the pieces are whatever arrived since the last one.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(transfer: transfer)
    }

    /// Bytes received and not yet taken by the consumer.
    public var bufferedByteCount: Int {
        transfer.bufferedByteCount
    }

    /// The measurements, once the body has ended; nil before.
    public var metrics: TransferMetrics? {
        transfer.metrics
    }

    /// Iterates the pieces.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let transfer: Transfer

        /// The next piece, or nil at the end of the body.
        /// - Throws: `HTTPClientError` when the transfer failed, `CancellationError` when the
        ///   task was cancelled (which also cancels the transfer).
        public mutating func next() async throws -> [UInt8]? {
            try await transfer.nextBodyPiece()
        }
    }
}
