import PhoenixDomain
import Synchronization

/// How far a local upload has got, for the readers that follow it (`LocalFollower`): the bytes
/// written so far, and how the upload ended.
final class UploadProgress: Sendable {
    enum End: Sendable, Equatable {
        case completed
        case aborted
    }

    private struct State {
        var written: Int64 = 0
        var end: End?
        var waiters: [UInt64: CheckedContinuation<Void, any Error>] = [:]
        var nextWaiter: UInt64 = 0

        mutating func takeWaiters() -> [CheckedContinuation<Void, any Error>] {
            defer { waiters = [:] }
            return Array(waiters.values)
        }
    }

    private let state = Mutex(State())

    /// Bytes written so far.
    var written: Int64 { state.withLock { $0.written } }

    /// Records `count` more bytes written and wakes the readers waiting for them.
    func advance(by count: Int) {
        guard count > 0 else { return }
        let waiters = state.withLock { state in
            state.written += Int64(count)
            return state.takeWaiters()
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Records how the upload ended (the first end counts) and wakes every reader.
    func end(_ end: End) {
        let waiters = state.withLock { state in
            if state.end == nil { state.end = end }
            return state.takeWaiters()
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Waits until more than `offset` bytes are written or the upload has ended.
    /// - Throws: `CancellationError` when the task is cancelled meanwhile.
    func wait(beyond offset: Int64) async throws -> (written: Int64, end: End?) {
        let id = state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                // Checked under the lock the cancellation handler takes: a cancellation either
                // finds this waiter registered or is seen here (its flag is set before it runs).
                let ready: Result<Void, any Error>? = state.withLock { state in
                    if state.written > offset || state.end != nil { return .success(()) }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    state.waiters[id] = continuation
                    return nil
                }
                if let ready { continuation.resume(with: ready) }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume(throwing: CancellationError())
        }
        return state.withLock { ($0.written, $0.end) }
    }
}
