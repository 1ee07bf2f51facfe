import Dispatch

/// A task executor over one serial `DispatchQueue`: `Task(executorPreference:)` runs a whole
/// task's nonisolated work on that queue's thread, off the two-thread cooperative pool (a
/// backup's read-back beside its snapshot, whose own tasks need the pool).
public final class DispatchTaskExecutor: TaskExecutor {
    // Safety for Sendable: the only stored property is an immutable, thread-safe DispatchQueue.
    private let queue: DispatchQueue

    public init(label: String) {
        queue = DispatchQueue(label: label)
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }

    public func asUnownedTaskExecutor() -> UnownedTaskExecutor {
        UnownedTaskExecutor(ordinary: self)
    }
}
