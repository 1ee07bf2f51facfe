import PhoenixHTTP
import PhoenixTesting
import Synchronization
import Testing

/// Streams on one connection: concurrency, independence, and a bad stream not hurting the rest.
@Suite struct StreamTests {
    @Test func aHundredConcurrentStreamsRunAtOnceAndTheNextIsRefused() async throws {
        let monitor = TestRoutes.SlowMonitor()
        let live = try LiveServer(responder: TestRoutes.router(monitor: monitor))
        let client = try FrameClient(port: live.port)
        for index in 0..<100 { try client.request("/hold", stream: UInt32(2 * index + 1)) }
        #expect(await eventually { monitor.started.load(ordering: .relaxed) == 100 }, "all 100 handlers run at the same time")
        try client.request("/health", stream: 201)
        let refused = try await client.readFrames { $0.type == Frame.rstStream }
        #expect(refused.frames.last?.streamID == 201)
        #expect(refused.frames.last?.errorCode == 0x7, "REFUSED_STREAM beyond SETTINGS_MAX_CONCURRENT_STREAMS")

        monitor.gate.open()
        let finished = Counter()
        let read = try await client.readFrames { frame in
            frame.type == Frame.data && frame.isEndStream && finished.increment() == 100
        }
        #expect(read.end == .stopped, "every held stream completes")
        #expect(try await FrameClient.isHealthy(live))
        await live.stop()
    }

    @Test func aSlowStreamDoesNotHoldUpAFastOneBesideIt() async throws {
        let monitor = TestRoutes.SlowMonitor()
        let live = try LiveServer(responder: TestRoutes.router(monitor: monitor))
        let client = try FrameClient(port: live.port)
        try client.request("/hold", stream: 1)
        #expect(await eventually { monitor.started.load(ordering: .relaxed) == 1 })
        try client.request("/health", stream: 3)
        let fast = try await client.readFrames { $0.streamID == 3 && $0.isEndStream }
        #expect(fast.end == .stopped)
        #expect(fast.frames.filter { $0.streamID == 3 && $0.type == Frame.data }.flatMap(\.payload) == Array("ok".utf8))
        #expect(!fast.frames.contains { $0.streamID == 1 && $0.isEndStream }, "the held stream is still open")

        monitor.gate.open()
        let slow = try await client.readFrames { $0.streamID == 1 && $0.isEndStream }
        #expect(slow.frames.filter { $0.streamID == 1 && $0.type == Frame.data }.flatMap(\.payload) == Array("held".utf8))
        await live.stop()
    }

    @Test func aMalformedStreamIsResetAndTheConnectionGoesOn() async throws {
        let live = try LiveServer(responder: TestRoutes.router())
        let client = try FrameClient(port: live.port)
        // No :path: RFC 9113 §8.3.1 makes this malformed, a stream error.
        let block = FrameClient.headerBlock([(":method", "GET"), (":scheme", "http"), (":authority", "t")])
        try client.send(FrameClient.frame(type: Frame.headers, flags: Frame.endHeaders | Frame.endStream, stream: 1, payload: block))
        let reset = try await client.readFrames { $0.type == Frame.rstStream || $0.type == Frame.goAway }
        #expect(reset.frames.last?.type == Frame.rstStream)
        #expect(reset.frames.last?.errorCode == 0x1, "PROTOCOL_ERROR")
        try client.request("/health", stream: 3)
        let next = try await client.readFrames { $0.streamID == 3 && $0.isEndStream }
        #expect(next.frames.filter { $0.streamID == 3 && $0.type == Frame.data }.flatMap(\.payload) == Array("ok".utf8))
        await live.stop()
    }

    @Test func aClientResetCancelsTheHandler() async throws {
        let monitor = TestRoutes.SlowMonitor()
        let live = try LiveServer(responder: TestRoutes.router(monitor: monitor))
        let client = try FrameClient(port: live.port)
        try client.request("/hold", stream: 1)
        #expect(await eventually { monitor.started.load(ordering: .relaxed) == 1 })
        try client.send(FrameClient.rstStream(1))
        #expect(await eventually { monitor.cancelled.load(ordering: .relaxed) == 1 }, "the handler's task is cancelled")
        try client.request("/health", stream: 3)
        let next = try await client.readFrames { $0.streamID == 3 && $0.isEndStream }
        #expect(next.end == .stopped)
        await live.stop()
    }
}

/// A counter a `@Sendable` frame predicate can bump.
final class Counter: Sendable {
    private let value = Mutex(0)

    /// Adds one and returns the new count.
    func increment() -> Int {
        value.withLock { value in
            value += 1
            return value
        }
    }
}
