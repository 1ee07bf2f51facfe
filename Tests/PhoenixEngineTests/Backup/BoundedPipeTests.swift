import Foundation
import PhoenixConcurrency
@testable import PhoenixEngine
import Synchronization
import Testing

/// The pipe between a source's task and the pipeline's: order, the bound, and failures and
/// cancellation reaching the other side.
@Suite struct BoundedPipeTests {
    struct Broken: Error {}

    /// Counters shared by the two sides of a test.
    final class Tally: Sendable {
        let queuedMost = Atomic<Int>(0)
        let written = Atomic<Int>(0)
        let received = Mutex<[UInt8]>([])
    }

    /// The 100-byte piece number `index`, numbered in its first byte.
    static func piece(_ index: Int) -> [UInt8] {
        [UInt8(truncatingIfNeeded: index)] + [UInt8](repeating: 0, count: 99)
    }

    /// Receives to the end, noting each piece's number and the most the producer got past
    /// `write` that was not taken yet (at most the bound + one piece); `pause` after each piece.
    static func drain(_ pipe: BoundedPipe, into tally: Tally, pause: () async throws -> Void) async throws {
        var taken = 0
        while let piece = try await pipe.receive() {
            tally.received.withLock { $0.append(piece[0]) }
            taken += piece.count
            let ahead = tally.written.load(ordering: .relaxed) - taken
            if ahead > tally.queuedMost.load(ordering: .relaxed) { tally.queuedMost.store(ahead, ordering: .relaxed) }
            try await pause()
        }
    }

    @Test func piecesArriveInOrderAndTheProducerWaitsAtTheBound() async throws {
        let pipe = BoundedPipe(capacity: 1000)
        let tally = Tally()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for index in 0..<200 {
                    try await pipe.write(Self.piece(index))
                    tally.written.add(100, ordering: .relaxed)
                }
                pipe.finish()
            }
            group.addTask { try await Self.drain(pipe, into: tally) { await Task.yield() } }
            try await group.waitForAll()
        }
        #expect(tally.received.withLock { $0 } == (0..<200).map { UInt8(truncatingIfNeeded: $0) })
        #expect(tally.queuedMost.load(ordering: .relaxed) <= 1100)
    }

    @Test func aConsumerFailureMakesTheNextWriteThrowIt() async throws {
        let pipe = BoundedPipe(capacity: 10)
        try await pipe.write([1, 2, 3])
        pipe.fail(Broken())
        await #expect(throws: Broken.self) { try await pipe.write([4]) }
        await #expect(throws: Broken.self) { _ = try await pipe.receive() }
    }

    @Test func aProducerWaitingOnAFullPipeIsReleasedByAFailure() async throws {
        let pipe = BoundedPipe(capacity: 4)
        let producer = Task { try await pipe.write([1, 2, 3, 4, 5]) }
        try await Task.sleep(for: .milliseconds(20))
        pipe.fail(Broken())
        await #expect(throws: Broken.self) { try await producer.value }
    }

    /// The offline restore's decoding thread writes with `writeBlocking`: the same order and
    /// bound, with the thread itself held while the pipe is full.
    @Test(.timeLimit(.minutes(1)))
    func aProducerThreadIsHeldAtTheBoundAndKeepsTheOrder() async throws {
        let pipe = BoundedPipe(capacity: 1000)
        let tally = Tally()
        Thread.detachNewThread {
            do {
                for index in 0..<200 {
                    try pipe.writeBlocking(Self.piece(index))
                    tally.written.add(100, ordering: .relaxed)
                }
                pipe.finish()
            } catch {
                pipe.fail(error)
            }
        }
        try await Self.drain(pipe, into: tally) { try await Task.sleep(for: .microseconds(200)) }
        #expect(tally.received.withLock { $0 } == (0..<200).map { UInt8(truncatingIfNeeded: $0) })
        #expect(tally.queuedMost.load(ordering: .relaxed) <= 1100)
    }

    @Test(.timeLimit(.minutes(1)))
    func aProducerThreadHeldOnAFullPipeIsReleasedByAFailure() async throws {
        let pipe = BoundedPipe(capacity: 4)
        let outcome = Mutex<String?>(nil)
        let firstWritten = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            do {
                try pipe.writeBlocking([1, 2, 3])  // below the bound: returns at once
                firstWritten.signal()
                try pipe.writeBlocking([4, 5])  // reaches it: queued, and the thread waits
                outcome.withLock { $0 = "written" }
            } catch {
                outcome.withLock { $0 = "\(type(of: error))" }
            }
            done.signal()
        }
        let deadline = ContinuousClock.now + .seconds(30)
        while firstWritten.wait(timeout: .now()) == .timedOut, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(outcome.withLock { $0 } == nil, "held while the pipe is full")
        pipe.fail(Broken())
        while done.wait(timeout: .now()) == .timedOut, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(outcome.withLock { $0 } == "Broken")
        #expect(throws: Broken.self) { try pipe.writeBlocking([7]) }
    }

    @Test func finishingDeliversWhatIsQueuedThenNil() async throws {
        let pipe = BoundedPipe(capacity: 100)
        try await pipe.write([1])
        try await pipe.write([2])
        pipe.finish()
        #expect(try await pipe.receive() == [1])
        #expect(try await pipe.receive() == [2])
        #expect(try await pipe.receive() == nil)
    }

    @Test func aCancelledConsumerFailsThePipe() async throws {
        let pipe = BoundedPipe(capacity: 100)
        let consumer = Task { try await pipe.receive() }
        try await Task.sleep(for: .milliseconds(20))
        consumer.cancel()
        await #expect(throws: CancellationError.self) { _ = try await consumer.value }
        await #expect(throws: CancellationError.self) { try await pipe.write([1]) }
    }
}
