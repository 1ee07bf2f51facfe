import Glibc
@testable import PhoenixSockets
import Synchronization
import Testing

/// Counts the deadlines and readiness events the loop delivers to it.
private final class RecordingHandler: EventHandler, @unchecked Sendable {
    // Safety: touched only on the loop thread; tests read it through `loop.execute`.
    var deadlinesFired = 0
    var firedAt: UInt64 = 0
    func handleReadiness(_ readiness: Readiness) {}
    func handleDeadline() {
        deadlinesFired += 1
        firedAt = MonotonicClock.now()
    }
}

/// What closures on the loop saw, in order.
private final class LoopLog: @unchecked Sendable {
    // Safety: touched only on the loop thread.
    var entries: [String] = []
}

private final class Counters: Sendable {
    let runs = Atomic<Int>(0)
    let offThread = Atomic<Int>(0)
}

private func onLoop<T: Sendable>(_ loop: EventLoop, _ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        loop.execute { continuation.resume(returning: body()) }
    }
}

@Suite struct EventLoopTests {
    @Test func workSubmittedFromManyTasksRunsOnceEachOnTheLoopThread() async throws {
        let loop = try EventLoop(name: "test-loop")
        loop.start()
        defer { loop.shutdown() }
        let counters = Counters()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<50 {
                group.addTask {
                    for _ in 0..<100 {
                        await withCheckedContinuation { continuation in
                            loop.execute {
                                if !loop.inEventLoop { counters.offThread.add(1, ordering: .relaxed) }
                                counters.runs.add(1, ordering: .relaxed)
                                continuation.resume()
                            }
                        }
                    }
                }
            }
        }
        #expect(counters.runs.load(ordering: .relaxed) == 5_000)
        #expect(counters.offThread.load(ordering: .relaxed) == 0)
    }

    @Test func tasksPreferringTheLoopRunOnItsThread() async throws {
        let loop = try EventLoop(name: "test-exec")
        loop.start()
        defer { loop.shutdown() }
        let onThread = await Task(executorPreference: loop) { loop.inEventLoop }.value
        #expect(onThread)
    }

    @Test func aBatchKnowsItsLastItemAndRunsItsTailAfterIt() async throws {
        let loop = try EventLoop(name: "test-batch")
        loop.start()
        defer { loop.shutdown() }
        let log = LoopLog()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            loop.execute {
                // Queued from the loop itself: these four run together as the next batch.
                for item in 0..<3 {
                    loop.execute {
                        log.entries.append("\(item) last=\(loop.isLastInBatch)")
                        if item == 0 { loop.executeAfterBatch { log.entries.append("tail last=\(loop.isLastInBatch)") } }
                    }
                }
                loop.execute {
                    log.entries.append("3 last=\(loop.isLastInBatch)")
                    continuation.resume()
                }
            }
        }
        #expect(await onLoop(loop) { log.entries } == ["0 last=false", "1 last=false", "2 last=false", "3 last=true", "tail last=true"])
        // Alone in its batch; it reports from inside, so the test queues nothing beside it.
        let alone = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            loop.execute { loop.execute { continuation.resume(returning: loop.isLastInBatch) } }
        }
        #expect(alone)
    }

    @Test func deadlinesFireOnceAndMovingThemLaterDefersThem() async throws {
        let loop = try EventLoop(name: "test-deadline")
        loop.start()
        defer { loop.shutdown() }
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let reader = FileDescriptor(taking: fds[0])
        let writer = FileDescriptor(taking: fds[1])
        defer { reader.close(); writer.close() }
        let handler = RecordingHandler()
        let fd = reader.rawValue
        try await onLoop(loop) { Result { try loop.register(handler, fd: fd, interest: [.readable]) } }.get()
        let later = await onLoop(loop) {
            loop.setDeadline(MonotonicClock.deadline(after: .milliseconds(50)), for: fd)
            // Moved later: the first heap entry must reschedule, not fire.
            let later = MonotonicClock.deadline(after: .milliseconds(400))
            loop.setDeadline(later, for: fd)
            return later
        }
        #expect(await eventually { await onLoop(loop) { handler.deadlinesFired } == 1 })
        // Checked on the loop's own clock, so a test thread that runs late cannot make it pass or fail.
        #expect(await onLoop(loop) { handler.firedAt } >= later)
        try await Task.sleep(for: .milliseconds(100))
        #expect(await onLoop(loop) { handler.deadlinesFired } == 1)
    }

    @Test func deregisteredDescriptorsGetNoDeadline() async throws {
        let loop = try EventLoop(name: "test-dereg")
        loop.start()
        defer { loop.shutdown() }
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let reader = FileDescriptor(taking: fds[0])
        defer { reader.close(); _ = close(fds[1]) }
        let handler = RecordingHandler()
        let fd = reader.rawValue
        try await onLoop(loop) { Result { try loop.register(handler, fd: fd, interest: [.readable]) } }.get()
        await onLoop(loop) {
            loop.setDeadline(MonotonicClock.deadline(after: .milliseconds(30)), for: fd)
            loop.deregister(fd: fd)
        }
        try await Task.sleep(for: .milliseconds(120))
        #expect(await onLoop(loop) { handler.deadlinesFired } == 0)
    }
}

/// A local copy of PhoenixTesting's helper, so this suite depends on sockets alone.
private func eventually(_ condition: () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + .seconds(5)
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return await condition()
}
