import Dispatch
import Synchronization

/// Hands byte pieces from a source's task to the pipeline's task with at most `capacity` bytes
/// between them, so reading and archiving (one core) overlap compressing, encrypting, hashing
/// and storing (the other) while memory stays bounded.
///
/// Either side ends it: the consumer with `fail(_:)`, which makes the next `write` throw, the
/// producer with `finish()` or `fail(_:)`. Cancellation of either waiting task fails the pipe
/// (a thread held in `writeBlocking` is released only by `fail(_:)`).
/// The backup pipeline uses it behind a source; a restore uses it to feed an upload body, and
/// the offline restore to hand plaintext from its decoding thread (`writeBlocking`) to a tool.
public final class BoundedPipe: Sendable {
    private struct State {
        var pieces: [[UInt8]] = []
        var head = 0
        var bytes = 0
        var isFinished = false
        var failure: (any Error)?
        var producer: CheckedContinuation<Void, any Error>?
        /// A `writeBlocking` producer waiting for room.
        var blockedProducer: DispatchSemaphore?
        var consumer: CheckedContinuation<[UInt8]?, any Error>?
    }

    private let capacity: Int
    private let state = Mutex(State())

    /// A pipe holding at most about `capacity` bytes (one piece more may wait).
    public init(capacity: Int) {
        self.capacity = capacity
    }

    /// Queues `bytes`, waiting while the pipe is full.
    public func write(_ bytes: [UInt8]) async throws {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let wake: CheckedContinuation<[UInt8]?, any Error>? = state.withLock { state in
                    if let failure = state.failure {
                        continuation.resume(throwing: failure)
                        return nil
                    }
                    if let consumer = state.consumer {
                        state.consumer = nil
                        continuation.resume()
                        return consumer
                    }
                    state.pieces.append(bytes)
                    state.bytes += bytes.count
                    if state.bytes >= capacity {
                        state.producer = continuation
                    } else {
                        continuation.resume()
                    }
                    return nil
                }
                wake?.resume(returning: bytes)
            }
        } onCancel: {
            fail(CancellationError())
        }
    }

    /// `write` for a producer on a thread of its own, never on the cooperative pool: blocks
    /// that thread while the pipe is full. It is not cancellable: `fail(_:)` releases it.
    /// - Throws: the pipe's failure, when it has failed or fails while this waits.
    public func writeBlocking(_ bytes: [UInt8]) throws {
        let room = DispatchSemaphore(value: 0)
        let (consumer, waits) = try state.withLock { state throws -> (CheckedContinuation<[UInt8]?, any Error>?, Bool) in
            if let failure = state.failure { throw failure }
            if let consumer = state.consumer {
                state.consumer = nil
                return (consumer, false)
            }
            state.pieces.append(bytes)
            state.bytes += bytes.count
            guard state.bytes >= capacity else { return (nil, false) }
            state.blockedProducer = room
            return (nil, true)
        }
        consumer?.resume(returning: bytes)
        guard waits else { return }
        room.wait()
        if let failure = state.withLock({ $0.failure }) { throw failure }
    }

    /// The next piece, or nil once the producer finished and everything was taken.
    public func receive() async throws -> [UInt8]? {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UInt8]?, any Error>) in
                let wake: CheckedContinuation<Void, any Error>? = state.withLock { state in
                    if let failure = state.failure {
                        continuation.resume(throwing: failure)
                        return nil
                    }
                    guard state.head < state.pieces.count else {
                        if state.isFinished { continuation.resume(returning: nil) } else { state.consumer = continuation }
                        return nil
                    }
                    // Taken out, not copied: a slot left holding a consumed piece would keep it
                    // alive until the queue next drains, which a fast producer may never let happen.
                    let piece = state.pieces[state.head]
                    state.pieces[state.head] = []
                    state.head += 1
                    state.bytes -= piece.count
                    if state.head == state.pieces.count {
                        state.pieces.removeAll(keepingCapacity: true)
                        state.head = 0
                    }
                    continuation.resume(returning: piece)
                    guard state.bytes < capacity else { return nil }
                    if let blocked = state.blockedProducer {
                        state.blockedProducer = nil
                        blocked.signal()
                    }
                    guard let producer = state.producer else { return nil }
                    state.producer = nil
                    return producer
                }
                wake?.resume()
            }
        } onCancel: {
            fail(CancellationError())
        }
    }

    /// No more pieces will come; the consumer drains what is queued.
    public func finish() {
        let consumer = state.withLock { state -> CheckedContinuation<[UInt8]?, any Error>? in
            state.isFinished = true
            defer { state.consumer = nil }
            return state.head < state.pieces.count ? nil : state.consumer
        }
        consumer?.resume(returning: nil)
    }

    /// Ends the pipe with `error` on both sides (the first failure wins).
    public func fail(_ error: any Error) {
        let (producer, consumer) = state.withLock { state in
            if state.failure == nil { state.failure = error }
            state.blockedProducer?.signal()
            defer { state.producer = nil; state.consumer = nil; state.blockedProducer = nil }
            return (state.producer, state.consumer)
        }
        producer?.resume(throwing: error)
        consumer?.resume(throwing: error)
    }
}
