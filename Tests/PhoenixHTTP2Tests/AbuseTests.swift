import PhoenixHTTP
import PhoenixTesting
import Synchronization
import Testing

/// Hostile clients: each case ends with the abuser cut off (or its stream reset) and the server
/// still answering `/health`.
@Suite struct AbuseTests {
    static let enhanceYourCalm: UInt32 = 0xb

    @Test func rapidResetEndsTheConnectionWithEnhanceYourCalm() async throws {
        let monitor = TestRoutes.SlowMonitor()
        let live = try LiveServer(responder: TestRoutes.router(monitor: monitor))
        let client = try FrameClient(port: live.port)
        var flood: [UInt8] = []
        for index in 0..<2000 {
            let stream = UInt32(2 * index + 1)
            flood += FrameClient.frame(type: Frame.headers, flags: Frame.endHeaders | Frame.endStream, stream: stream,
                                       payload: FrameClient.headerBlock([(":method", "GET"), (":scheme", "http"), (":authority", "t"), (":path", "/hold")]))
            flood += FrameClient.rstStream(stream)
        }
        client.sendInBackground(flood)
        let read = try await client.readFrames { $0.type == Frame.goAway }
        #expect(read.end == .stopped)
        #expect(read.frames.last?.errorCode == Self.enhanceYourCalm)
        #expect(try await client.readToClose().end == .closed)
        #expect(monitor.started.load(ordering: .relaxed) < 2000, "the handlers stopped starting at the limit")
        #expect(await eventually { monitor.cancelled.load(ordering: .relaxed) == monitor.started.load(ordering: .relaxed) },
                "every reset handler was cancelled")
        #expect(try await FrameClient.isHealthy(live))
        await live.stop()
    }

    @Test func settingsFloodFromAClientThatDoesNotReadIsCutOff() async throws {
        let live = try LiveServer(responder: TestRoutes.router())
        let client = try FrameClient(port: live.port)
        let settings = FrameClient.frame(type: Frame.settings, flags: 0, stream: 0, payload: [])
        client.sendInBackground(Array([[UInt8]](repeating: settings, count: 200_000).joined()))
        let read = try await client.readToClose()
        #expect(read.end == .closed, "the flood is detected (nghttp2 max_outbound_ack) and the connection closed")
        #expect(try await FrameClient.isHealthy(live))
        await live.stop()
    }

    @Test func pingFloodFromAClientThatDoesNotReadIsCutOff() async throws {
        let live = try LiveServer(responder: TestRoutes.router())
        let client = try FrameClient(port: live.port)
        let ping = FrameClient.frame(type: Frame.ping, flags: 0, stream: 0, payload: [UInt8](repeating: 7, count: 8))
        client.sendInBackground(Array([[UInt8]](repeating: ping, count: 200_000).joined()))
        let read = try await client.readToClose()
        #expect(read.end == .closed)
        #expect(try await FrameClient.isHealthy(live))
        await live.stop()
    }

    @Test func settingsWithTooManyEntriesEndTheConnection() async throws {
        let live = try LiveServer(responder: TestRoutes.router())
        let client = try FrameClient(port: live.port)
        // 100 entries in one SETTINGS frame; nghttp2 allows 32 (max_settings).
        let entries = (0..<100).flatMap { _ in FrameClient.bigEndian(0x3, bytes: 2) + FrameClient.bigEndian(100, bytes: 4) }
        try client.send(FrameClient.frame(type: Frame.settings, flags: 0, stream: 0, payload: entries))
        let read = try await client.readToClose()
        #expect(read.end == .closed)
        #expect(read.frames.contains { $0.type == Frame.goAway && $0.errorCode == Self.enhanceYourCalm })
        #expect(try await FrameClient.isHealthy(live))
        await live.stop()
    }

    @Test func anEndlessContinuationSequenceEndsTheConnection() async throws {
        let live = try LiveServer(responder: TestRoutes.router())
        let client = try FrameClient(port: live.port)
        let start = FrameClient.headerBlock([(":method", "GET"), (":scheme", "http"), (":authority", "t"), (":path", "/health")])
        var flood = FrameClient.frame(type: Frame.headers, flags: Frame.endStream, stream: 1, payload: start)  // no END_HEADERS
        let filler = FrameClient.frame(type: Frame.continuation, flags: 0, stream: 1,
                                       payload: FrameClient.headerBlock([("x-filler", String(repeating: "f", count: 1000))]))
        for _ in 0..<10_000 { flood += filler }
        client.sendInBackground(flood)
        let read = try await client.readToClose()
        #expect(read.end == .closed, "cut off after nghttp2's max_continuations, not read forever")
        #expect(read.frames.contains { $0.type == Frame.goAway })
        #expect(try await FrameClient.isHealthy(live))
        await live.stop()
    }

    @Test func aWindowHeldShutGetsTheStreamResetAfterTheWriteTimeout() async throws {
        let live = try LiveServer(responder: TestRoutes.router()) { $0.writeTimeout = .milliseconds(200) }
        // SETTINGS_INITIAL_WINDOW_SIZE = 0: the server may send headers but no body byte.
        let client = try FrameClient(port: live.port, settings: [(0x4, 0)])
        try client.request("/bytes?n=1000000", stream: 1)
        let read = try await client.readFrames { $0.type == Frame.rstStream }
        #expect(read.end == .stopped)
        #expect(read.frames.last?.streamID == 1)
        #expect(read.frames.last?.errorCode == 0x8, "CANCEL: the megabyte waiting for the window is dropped")
        #expect(!read.frames.contains { $0.type == Frame.data && !$0.payload.isEmpty })
        #expect(try await FrameClient.isHealthy(live))
        await live.stop()
    }

    @Test func aRequestThatNeverFinishesIsResetAfterTheRequestTimeouts() async throws {
        let live = try LiveServer(responder: TestRoutes.router()) {
            $0.headerTimeout = .milliseconds(100)
            $0.bodyTimeout = .milliseconds(100)
            $0.writeTimeout = .milliseconds(100)
        }
        let client = try FrameClient(port: live.port)
        try client.request("/echo", stream: 1, method: "POST", endStream: false)  // the body never comes
        let read = try await client.readFrames { $0.type == Frame.rstStream }
        #expect(read.end == .stopped)
        #expect(read.frames.last?.streamID == 1)
        #expect(try await FrameClient.isHealthy(live))
        await live.stop()
    }

    @Test func anIdleConnectionIsClosedWithGoAway() async throws {
        let live = try LiveServer(responder: TestRoutes.router()) { $0.idleTimeout = .milliseconds(200) }
        let client = try FrameClient(port: live.port)
        let read = try await client.readToClose()
        #expect(read.end == .closed)
        #expect(read.frames.contains { $0.type == Frame.goAway && $0.errorCode == 0 })
        await live.stop()
    }

    @Test func aBadPrefaceIsRejectedWithoutHarm() async throws {
        let live = try LiveServer(responder: TestRoutes.router())
        let client = try TestSocket(port: live.port)
        try client.send("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + String(repeating: "\u{0}garbage", count: 10))
        #expect(await client.waitForClose() == .closed)
        #expect(try await FrameClient.isHealthy(live))
        await live.stop()
    }
}
