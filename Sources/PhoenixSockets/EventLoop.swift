import CLinuxSystem
import Dispatch
import Glibc
import Synchronization

/// One epoll loop on its own thread: readiness events, deadlines and submitted work.
///
/// Handlers, deadlines and the local run queue belong to the loop thread. Other threads reach the
/// loop only through `execute(_:)` (and Swift tasks through its `TaskExecutor` conformance), which
/// lock a queue and wake the loop with an eventfd.
///
/// ```swift
/// let loop = try EventLoop(name: "loop-0")
/// loop.start()
/// loop.execute { print("on the loop thread") }
/// loop.shutdown()
/// ```
public final class EventLoop: @unchecked Sendable {
    // Safety: `handlers`, `generations`, `deadlines`, `scheduled`, `heap`, `local`, `batchTail`,
    // `batchRemaining` and `events` are touched only on the loop thread (checked by
    // `assertInLoop` in debug builds); `remote`, `isRunning`, `isWakePending` and `threadID` are
    // a Mutex and Atomics.

    /// Work that runs on the loop thread.
    enum Work {
        case closure(@Sendable () -> Void)
        case job(UnownedJob)
    }

    /// The thread's name, for debuggers and `top -H`.
    public let name: String
    private let epoll: FileDescriptor
    private let wakeup: FileDescriptor
    private var handlers: [(any EventHandler)?] = []
    private var generations: [UInt32] = []
    private var deadlines: [UInt64] = []
    private var scheduled: [UInt64] = []
    private var heap = DeadlineHeap()
    private var local: [Work] = []
    /// Run once the current batch of queued work is done (see `executeAfterBatch`).
    private var batchTail: [() -> Void] = []
    /// Work items of the running batch not yet started.
    private var batchRemaining = 0
    /// Work from other threads, and whether the loop has stopped taking it.
    private let remote = Mutex<(work: [Work], isStopped: Bool)>(([], false))
    /// Runs what arrives after the loop stopped (a handler finishing late), one at a time, so a
    /// task is never stranded and loop-confined state still sees one thread at a time.
    private let afterStop: DispatchQueue
    private let isWakePending = Atomic<Bool>(false)
    private let isRunning = Atomic<Bool>(false)
    private let threadID = Atomic<UInt>(0)
    private var thread: pthread_t?

    /// The token that marks the eventfd in epoll events (no fd has this number).
    private static let wakeToken: UInt64 = UInt64(UInt32.max)

    /// Creates the epoll instance and its eventfd; call `start()` to run it.
    public init(name: String) throws(SocketError) {
        self.name = name
        afterStop = DispatchQueue(label: "\(name)-after-stop")
        let epfd = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epfd >= 0 else { throw .lastError("epoll_create1") }
        epoll = FileDescriptor(taking: epfd)
        let efd = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        guard efd >= 0 else { throw .lastError("eventfd") }
        wakeup = FileDescriptor(taking: efd)
        var event = phx_epoll_event(EPOLLIN.rawValue, Self.wakeToken)
        guard epoll_ctl(epfd, EPOLL_CTL_ADD, efd, &event) == 0 else { throw .lastError("epoll_ctl(eventfd)") }
    }

    // MARK: - Threads

    /// Whether the caller runs on this loop's thread.
    public var inEventLoop: Bool {
        threadID.load(ordering: .relaxed) == UInt(pthread_self())
    }

    /// Traps in debug builds when called off the loop thread.
    @inline(__always)
    public func assertInLoop(file: StaticString = #fileID, line: UInt = #line) {
        assert(inEventLoop, "called off the event loop thread", file: file, line: line)
    }

    /// Starts the loop's thread.
    public func start() {
        isRunning.store(true, ordering: .releasing)
        let box = Unmanaged.passRetained(self).toOpaque()
        var handle = pthread_t()
        let result = pthread_create(&handle, nil, { argument in
            guard let argument else { return nil }
            let loop = Unmanaged<EventLoop>.fromOpaque(argument).takeRetainedValue()
            loop.run()
            return nil
        }, box)
        precondition(result == 0, "pthread_create failed: \(result)")
        thread = handle
    }

    /// Stops the loop after the work queued so far and waits for its thread to end.
    public func shutdown() {
        isRunning.store(false, ordering: .releasing)
        wake()
        if let thread, !inEventLoop {
            pthread_join(thread, nil)
            self.thread = nil
        }
    }

    // MARK: - Work

    /// Runs `work` on the loop thread: queued, never run inline, so callers keep their order.
    public func execute(_ work: @escaping @Sendable () -> Void) {
        submit(.closure(work))
    }

    /// On the loop thread: runs `work` once the batch of queued work now running is done, in
    /// the same loop turn. Handlers of many streams of one connection finish in one batch; their
    /// connection registers one tail and writes all their answers with one system call.
    public func executeAfterBatch(_ work: @escaping () -> Void) {
        precondition(inEventLoop, "executeAfterBatch is for the loop's own thread")
        batchTail.append(work)
    }

    /// On the loop thread: no queued work follows the current item in the batch now running,
    /// so work deferred with `executeAfterBatch` would run next anyway. True outside a batch
    /// too (readiness events, deadlines, batch tails).
    public var isLastInBatch: Bool {
        precondition(inEventLoop, "isLastInBatch is for the loop's own thread")
        return batchRemaining == 0
    }

    func submit(_ work: Work) {
        if inEventLoop {
            local.append(work)
            return
        }
        let isStopped = remote.withLock { queue -> Bool in
            if !queue.isStopped { queue.work.append(work) }
            return queue.isStopped
        }
        if isStopped {
            afterStop.async { self.perform(work) }
        } else {
            wake()
        }
    }

    private func perform(_ work: Work) {
        switch work {
        case .closure(let body): body()
        case .job(let job): job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }

    private func wake() {
        guard !isWakePending.exchange(true, ordering: .acquiringAndReleasing) else { return }
        var one: UInt64 = 1
        _ = Glibc.write(wakeup.rawValue, &one, 8)
    }

    // MARK: - Registration (loop thread only)

    /// Watches `fd` for `interest` and calls `handler` when it is ready.
    public func register(_ handler: any EventHandler, fd: Int32, interest: Readiness) throws(SocketError) {
        assertInLoop()
        let index = Int(fd)
        if index >= handlers.count {
            let grown = max(index + 1, handlers.count * 2, 64)
            handlers.append(contentsOf: repeatElement(nil, count: grown - handlers.count))
            generations.append(contentsOf: repeatElement(0, count: grown - generations.count))
            deadlines.append(contentsOf: repeatElement(0, count: grown - deadlines.count))
            scheduled.append(contentsOf: repeatElement(0, count: grown - scheduled.count))
        }
        generations[index] &+= 1
        var event = phx_epoll_event(interest.rawValue, Self.token(fd: fd, generation: generations[index]))
        guard epoll_ctl(epoll.rawValue, EPOLL_CTL_ADD, fd, &event) == 0 else { throw .lastError("epoll_ctl(ADD)") }
        handlers[index] = handler
        deadlines[index] = 0
        scheduled[index] = 0
    }

    /// Stops watching `fd`. Call before closing it; pending deadlines are dropped.
    public func deregister(fd: Int32) {
        assertInLoop()
        let index = Int(fd)
        guard index < handlers.count, handlers[index] != nil else { return }
        _ = epoll_ctl(epoll.rawValue, EPOLL_CTL_DEL, fd, nil)
        handlers[index] = nil
        generations[index] &+= 1
        deadlines[index] = 0
        scheduled[index] = 0
    }

    /// Sets (or, with nil, clears) the moment `handleDeadline()` is called for `fd`.
    ///
    /// Moving a deadline later pushes nothing: the earlier heap entry reschedules itself when it
    /// comes up, so a busy keep-alive connection costs one heap entry, not one per request.
    public func setDeadline(_ deadline: UInt64?, for fd: Int32) {
        assertInLoop()
        let index = Int(fd)
        guard index < handlers.count, handlers[index] != nil else { return }
        guard let deadline else {
            deadlines[index] = 0
            return
        }
        deadlines[index] = deadline
        if scheduled[index] == 0 || deadline < scheduled[index] {
            scheduled[index] = deadline
            heap.push(.init(deadline: deadline, fd: fd, generation: generations[index]))
        }
    }

    // MARK: - Running

    /// The loop body: wait for readiness or the next deadline, dispatch, run queued work.
    private func run() {
        threadID.store(UInt(pthread_self()), ordering: .releasing)
        _ = phx_set_thread_name(String(name.prefix(15)))
        let capacity = 256
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: capacity)
        defer { events.deallocate() }
        while isRunning.load(ordering: .acquiring) {
            let count = epoll_wait(epoll.rawValue, events, Int32(capacity), waitTimeout())
            for index in 0..<max(0, Int(count)) {
                dispatch(token: phx_epoll_event_token(events + index), events: phx_epoll_event_events(events + index))
            }
            fireDueDeadlines()
            runQueuedWork()
        }
        // Drain, then refuse further work under the lock: what arrives later goes to `afterStop`,
        // so no continuation is lost.
        var isDrained = false
        while !isDrained {
            runQueuedWork()
            isDrained = remote.withLock { queue in
                guard queue.work.isEmpty && local.isEmpty else { return false }
                queue.isStopped = true
                return true
            }
        }
        threadID.store(0, ordering: .releasing)
    }

    /// Milliseconds to wait in epoll: 0 with work queued, until the next deadline, or forever.
    private func waitTimeout() -> Int32 {
        if !local.isEmpty { return 0 }
        guard let next = heap.earliest else { return -1 }
        let now = MonotonicClock.now()
        guard next > now else { return 0 }
        // Round up so the loop does not wake a moment early and spin.
        return Int32(min((next - now + 999_999) / 1_000_000, 60_000))
    }

    private func dispatch(token: UInt64, events: UInt32) {
        if token == Self.wakeToken {
            var value: UInt64 = 0
            _ = Glibc.read(wakeup.rawValue, &value, 8)
            isWakePending.store(false, ordering: .releasing)
            return
        }
        let index = Int(UInt32(truncatingIfNeeded: token))
        // A stale event for a descriptor closed earlier in this batch carries an old generation.
        guard index < handlers.count, generations[index] == UInt32(token >> 32), let handler = handlers[index] else { return }
        handler.handleReadiness(Readiness(rawValue: events))
    }

    private func fireDueDeadlines() {
        guard !heap.isEmpty else { return }
        let now = MonotonicClock.now()
        while let entry = heap.popDue(now: now) {
            let index = Int(entry.fd)
            guard generations[index] == entry.generation, let handler = handlers[index] else { continue }
            if entry.deadline == scheduled[index] { scheduled[index] = 0 }
            let deadline = deadlines[index]
            if deadline != 0 && deadline <= now {
                deadlines[index] = 0
                handler.handleDeadline()
            } else if deadline != 0 && scheduled[index] == 0 {
                scheduled[index] = deadline
                heap.push(.init(deadline: deadline, fd: entry.fd, generation: entry.generation))
            }
        }
    }

    private func runQueuedWork() {
        let incoming = remote.withLock { queue -> [Work] in
            let taken = queue.work
            queue.work.removeAll(keepingCapacity: true)
            return taken
        }
        local.append(contentsOf: incoming)
        // Work queued while this batch runs waits for the next turn, so sockets are not starved.
        var batch: [Work] = []
        swap(&batch, &local)
        batchRemaining = batch.count
        for work in batch {
            batchRemaining -= 1
            perform(work)
        }
        while !batchTail.isEmpty {
            let tail = batchTail
            batchTail = []
            for work in tail { work() }
        }
        if local.isEmpty && local.capacity < batch.capacity {
            batch.removeAll(keepingCapacity: true)
            swap(&batch, &local)
        }
    }

    private static func token(fd: Int32, generation: UInt32) -> UInt64 {
        UInt64(UInt32(bitPattern: fd)) | UInt64(generation) << 32
    }
}
