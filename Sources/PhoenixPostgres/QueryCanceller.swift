import CLibPQ
import Dispatch
import Synchronization

/// Cancels one running statement with `PQcancel`, from a task cancellation handler.
///
/// One instance per statement, holding the `PGcancel` that `PQgetCancel` made just before it. A
/// fresh instance per statement means a late cancellation handler of an earlier statement can never
/// reach a later one: it only sees its own, already finished, state.
final class QueryCanceller: @unchecked Sendable {
    // Safety: `raw` is immutable and only passed to PQcancel, which libpq documents as thread-safe
    // ("PQcancel can safely be invoked from a signal handler"; it only reads the PGcancel). It is
    // freed in deinit, when no thread can still hold this object. `state` is behind a Mutex.
    private let raw: OpaquePointer
    private let state = Mutex(State())

    private struct State {
        var isRunning = false
        var isRequested = false
    }

    /// Takes the connection's cancel key; nil when libpq has none (the connection is broken).
    init?(connection: OpaquePointer) {
        guard let raw = PQgetCancel(connection) else { return nil }
        self.raw = raw
    }

    deinit {
        PQfreeCancel(raw)
    }

    /// Marks the statement as running. Call right before the blocking libpq call.
    func begin() {
        state.withLock { $0.isRunning = true }
    }

    /// Marks the statement as finished; returns true if a cancellation was requested meanwhile.
    func end() -> Bool {
        state.withLock { state in
            state.isRunning = false
            return state.isRequested
        }
    }

    /// Called from the task's cancellation handler, on whichever thread cancelled the task.
    ///
    /// `PQcancel` opens a new connection to the server and blocks until it is answered, with no
    /// timeout of its own in libpq 15. So it runs on a serial queue of its own: not on the
    /// cancelling thread, and not on `DispatchQueue.global()`, whose threads on Linux are the ones
    /// the cooperative pool runs on (two on this machine).
    func requestCancel() {
        let shouldSend = state.withLock { state in
            state.isRequested = true
            return state.isRunning
        }
        guard shouldSend else { return }
        DispatchQueue(label: "phoenix.postgres.cancel").async { self.send() }
    }

    private func send() {
        // libpq: errbuf "should be at least 256 bytes"; a failed PQcancel is harmless (the
        // statement just runs to its end), so the message is not reported further.
        var buffer = [CChar](repeating: 0, count: 256)
        _ = PQcancel(raw, &buffer, Int32(buffer.count))
    }
}
