import HTTPTypes
import PhoenixHTTP

/// One request/response exchange on an HTTP/2 connection, from HEADERS to stream close.
final class HTTP2Stream {
    enum State {
        /// Header fields and body are arriving.
        case receiving
        /// The responder runs.
        case handling
        /// The response was submitted; its body leaves as the client's windows allow.
        case sending
    }

    let id: Int32
    let openedAt: UInt64
    var state = State.receiving
    var head = RequestHeadBuilder()
    var body: [UInt8] = []
    /// Body bytes counted against the connection's `maxBufferedBodyBytes` until the stream closes.
    var bufferedBodyBytes = 0
    var isHead = false
    var handlerTask: Task<Void, Never>?

    // MARK: - Response body

    /// Bytes queued for DATA frames; `pendingOffset` of them are already handed to nghttp2.
    var pending: [UInt8] = []
    var pendingOffset = 0
    /// No more body will be queued: the last DATA frame carries END_STREAM.
    var isBodyComplete = false
    /// A streaming producer waiting for the client to catch up.
    var drainWaiter: CheckedContinuation<Void, any Error>?
    /// When nghttp2 last took bytes (or bytes were queued while none were waiting): a stream
    /// whose client holds its window shut is reset once this is older than the write timeout.
    var lastProgress: UInt64
    /// Request body bytes received after the request was refused (and dropped).
    var discardedBodyBytes = 0

    init(id: Int32, now: UInt64) {
        self.id = id
        self.openedAt = now
        self.lastProgress = now
    }

    var unsentBytes: Int { pending.count - pendingOffset }

    /// Queues more body bytes, dropping what nghttp2 has already taken.
    func queue(_ bytes: [UInt8], now: UInt64) {
        if unsentBytes == 0 {
            lastProgress = now
            pending = bytes
            pendingOffset = 0
            return
        }
        if pendingOffset > 0 {
            pending.removeSubrange(0..<pendingOffset)
            pendingOffset = 0
        }
        pending.append(contentsOf: bytes)
    }

    func resumeDrainWaiter() {
        guard let waiter = drainWaiter else { return }
        drainWaiter = nil
        waiter.resume()
    }

    func failDrainWaiter() {
        guard let waiter = drainWaiter else { return }
        drainWaiter = nil
        waiter.resume(throwing: HTTPError(.badRequest, detail: "the client reset the stream"))
    }
}
