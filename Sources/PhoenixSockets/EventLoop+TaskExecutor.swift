/// Swift tasks started with this loop as their executor preference run on the loop thread, so an
/// HTTP handler that answers at once never leaves the thread that owns its connection.
extension EventLoop: TaskExecutor {
    public func enqueue(_ job: consuming ExecutorJob) {
        submit(.job(UnownedJob(job)))
    }
}
