import Dispatch

/// A serial executor that runs every job on one serial `DispatchQueue`.
///
/// `DirectoryArchiver` and `DirectoryExtractor` use it as their actor executor (the GRDB
/// pattern), so their blocking `read`/`write`/`openat` calls run on that queue's thread and
/// never on the cooperative pool. `DispatchSerialQueue` is not a `SerialExecutor` in
/// swift-corelibs-libdispatch (Swift 6.3.1 on Linux), hence this wrapper; it mirrors
/// `PhoenixPostgres.DispatchQueueExecutor`.
final class FileIOExecutor: SerialExecutor {
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
