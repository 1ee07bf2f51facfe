import Dispatch

/// A serial executor that runs every job on one serial `DispatchQueue`.
///
/// Actors that make blocking C or file calls use it as their executor (the GRDB pattern):
/// `PostgresConnection` (libpq), `RedisConnection` (hiredis), the directory archiver and
/// extractor, the tools' pipes and the Redis replication socket. Their blocking calls then run on
/// that queue's thread and never on the cooperative pool. `DispatchSerialQueue` is not a
/// `SerialExecutor` in swift-corelibs-libdispatch (checked on Swift 6.3.1 Linux: the type does
/// not exist there), hence this small wrapper.
public final class DispatchQueueExecutor: SerialExecutor {
    // Safety for Sendable: the only stored property is an immutable, thread-safe DispatchQueue.
    private let queue: DispatchQueue

    public init(label: String) {
        self.queue = DispatchQueue(label: label)
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async {
            job.runSynchronously(on: self.asUnownedSerialExecutor())
        }
    }

    public func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    public func checkIsolated() {
        dispatchPrecondition(condition: .onQueue(queue))
    }
}
