import Dispatch

/// A serial executor that runs every job on one serial `DispatchQueue`.
///
/// `RedisConnection` uses it as its actor executor (the GRDB pattern), so the blocking hiredis
/// calls inside the actor run on that queue's thread and never on the cooperative pool.
/// `DispatchSerialQueue` is not a `SerialExecutor` in swift-corelibs-libdispatch (checked on Swift
/// 6.3.1 Linux: the type does not exist there), hence this small wrapper. It is a copy of
/// PhoenixPostgres's: the two wrapper modules share no code and neither depends on the other.
final class DispatchQueueExecutor: SerialExecutor {
    // Safety for Sendable: the only stored property is an immutable, thread-safe DispatchQueue.
    private let queue: DispatchQueue

    init(label: String) {
        self.queue = DispatchQueue(label: label)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async {
            job.runSynchronously(on: self.asUnownedSerialExecutor())
        }
    }

    func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    func checkIsolated() {
        dispatchPrecondition(condition: .onQueue(queue))
    }
}
