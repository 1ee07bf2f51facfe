import Dispatch
import PhoenixDomain
import Synchronization

/// Runs a source's checker on a thread of its own beside the reading (decrypting and
/// decompressing), fed in order through a queue that holds at most `slots` pieces: a piece of
/// zeros that decompresses to gigabytes waits for the checker instead of piling up in memory.
///
/// The reader's `emit` callback is synchronous, so a full queue blocks the reading thread until
/// the checker catches up: a wait on CPU work of our own, never on I/O.
final class BackgroundChecker: @unchecked Sendable {
    // Safety: `checker` is used only on `queue` until `finish` has drained it, then only by the
    // caller of `finish`. `failure` is guarded by its mutex.
    private let checker: any SnapshotChecker
    private let queue = DispatchQueue(label: "phoenix.backup.check")
    private let slots: DispatchSemaphore
    private let failure = Mutex<(any Error)?>(nil)

    init(_ checker: any SnapshotChecker, slots: Int = 8) {
        self.checker = checker
        self.slots = DispatchSemaphore(value: slots)
    }

    /// Queues a copy of `bytes`; throws the checker's error once it has failed.
    func consume(_ bytes: UnsafeRawBufferPointer) throws {
        if let error = failure.withLock({ $0 }) { throw error }
        let piece = Array(bytes)
        slots.wait()
        queue.async {
            defer { self.slots.signal() }
            guard self.failure.withLock({ $0 }) == nil else { return }
            do {
                try self.checker.consume(piece)
            } catch {
                self.failure.withLock { $0 = error }
            }
        }
    }

    /// Waits until every queued piece has been checked (or skipped after a failure).
    func drain() {
        queue.sync {}
    }

    /// Waits for every queued piece, then finishes the checker.
    func finish() async throws -> (recordCount: Int64?, contentDigest: String?) {
        drain()
        if let error = failure.withLock({ $0 }) { throw error }
        return try await checker.finish()
    }
}
