import Dispatch
import PhoenixDomain
import Synchronization

/// Runs a source's checker on a thread of its own beside the reading (decrypting and
/// decompressing), or inline on the reading thread when asked. Fed in order through a queue that
/// holds at most `slots` batches: a piece of zeros that decompresses to gigabytes waits for the
/// checker instead of piling up in memory.
///
/// The decompressor hands out pieces of at most 128 KiB; they are gathered into batches of
/// `batchSize` before crossing to the checker's thread, since each crossing is a thread wake-up
/// (on a 1 GiB read-back, 8,192 of them at 128 KiB).
///
/// The reader's `emit` callback is synchronous, so a full queue blocks the reading thread until
/// the checker catches up: a wait on CPU work of our own, never on I/O.
final class BackgroundChecker: @unchecked Sendable {
    // Safety: `checker` is used only on `queue` until `finish` has drained it, then only by the
    // caller of `finish`. `batch` is used only by the one reading thread that calls `consume`
    // and `finish`. `failure` is guarded by its mutex.
    private let checker: any SnapshotChecker
    private let queue = DispatchQueue(label: "phoenix.backup.check")
    private let slots: DispatchSemaphore
    private let batchSize: Int
    private var batch: [UInt8] = []
    private let failure = Mutex<(any Error)?>(nil)
    private let isInline: Bool

    /// - Parameter inline: check each piece on the caller's thread as it comes, without batches
    ///   or hand-offs (see `ArtifactCheck`).
    init(_ checker: any SnapshotChecker, inline: Bool = false, slots: Int = 2, batchSize: Int = 256 << 10) {
        self.checker = checker
        self.slots = DispatchSemaphore(value: slots)
        self.batchSize = batchSize
        isInline = inline
    }

    /// Adds a copy of `bytes` to the batch, queued once full; throws the checker's error once it
    /// has failed.
    func consume(_ bytes: UnsafeRawBufferPointer) throws {
        if isInline { return try checker.consume(Array(bytes)) }
        if let error = failure.withLock({ $0 }) { throw error }
        if batch.isEmpty { batch.reserveCapacity(max(batchSize, bytes.count)) }
        batch.append(contentsOf: bytes)
        if batch.count >= batchSize { send() }
    }

    private func send() {
        guard !batch.isEmpty else { return }
        var piece: [UInt8] = []
        swap(&piece, &batch)
        slots.wait()
        queue.async { [piece] in
            defer { self.slots.signal() }
            guard self.failure.withLock({ $0 }) == nil else { return }
            do {
                try self.checker.consume(piece)
            } catch {
                self.failure.withLock { $0 = error }
            }
        }
    }

    /// Waits until every queued batch has been checked (or skipped after a failure).
    func drain() {
        queue.sync {}
    }

    /// Queues the last batch, waits for every one, then finishes the checker.
    func finish() async throws -> (recordCount: Int64?, contentDigest: String?) {
        send()
        drain()
        if let error = failure.withLock({ $0 }) { throw error }
        return try await checker.finish()
    }
}
