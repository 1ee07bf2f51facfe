import Synchronization

/// Tells idle workers that a job was just queued, so an API-triggered backup starts at once
/// instead of at the workers' next poll (up to a second later). Polling stays as the fallback
/// for jobs queued by other instances sharing a PostgreSQL catalog.
public final class JobWakeup: Sendable {
    private struct State {
        var isPending = false
        var nextID: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    /// Wakes every waiting worker; with none waiting, the next `wait` returns at once.
    public func signal() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard !state.waiters.isEmpty else {
                state.isPending = true
                return []
            }
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns after a `signal`, after `timeout`, or when the task is cancelled.
    public func wait(upTo timeout: Duration) async {
        let id = state.withLock { state -> UInt64? in
            if state.isPending {
                state.isPending = false
                return nil
            }
            defer { state.nextID += 1 }
            return state.nextID
        }
        guard let id else { return }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let registered = state.withLock { state -> Bool in
                    if state.isPending || Task.isCancelled {
                        state.isPending = false
                        return false
                    }
                    state.waiters[id] = continuation
                    return true
                }
                guard registered else { return continuation.resume() }
                Task { [weak self] in
                    try? await Task.sleep(for: timeout)
                    self?.resume(id)
                }
            }
        } onCancel: {
            resume(id)
        }
    }

    private func resume(_ id: UInt64) {
        state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
    }
}
