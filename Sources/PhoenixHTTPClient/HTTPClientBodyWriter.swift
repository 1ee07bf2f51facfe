/// Hands the pieces of a streamed request body to the client.
public struct HTTPClientBodyWriter: Sendable {
    let transfer: Transfer

    /// Queues `bytes` as the next piece; waits while the previous piece is still queued.
    /// - Throws: `HTTPClientError` or `CancellationError` once the transfer has ended, so the
    ///   producer stops.
    public func write(_ bytes: [UInt8]) async throws {
        guard !bytes.isEmpty else { return }
        try await transfer.write(bytes)
    }
}
