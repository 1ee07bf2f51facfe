import PhoenixHTTP
import PhoenixTesting
import Synchronization
import Testing

@Suite struct HTTP2GracefulShutdownTests {
    @Test func goAwayLetsTheStreamInFlightFinishThenCloses() async throws {
        let monitor = TestRoutes.SlowMonitor()
        let live = try LiveServer(responder: TestRoutes.router(monitor: monitor))
        let idle = try FrameClient(port: live.port)
        let busy = try FrameClient(port: live.port)
        try busy.request("/hold", stream: 1)
        #expect(await eventually { monitor.started.load(ordering: .relaxed) == 1 })

        async let stopped: Void = live.stop(gracePeriod: .seconds(30))
        let idleEnd = try await idle.readToClose()
        #expect(idleEnd.end == .closed, "an idle connection gets GOAWAY and closes at once")
        #expect(idleEnd.frames.last { $0.type == Frame.goAway }?.errorCode == 0)

        let goAway = try await busy.readFrames { $0.type == Frame.goAway }
        #expect(goAway.end == .stopped)
        let lastStream = goAway.frames.last.map { Array($0.payload.prefix(4)).reduce(UInt32(0)) { $0 << 8 | UInt32($1) } }
        #expect(lastStream == 1, "GOAWAY names the stream in flight as the last one processed")
        #expect(goAway.frames.last?.errorCode == 0, "NO_ERROR")

        monitor.gate.open()
        let rest = try await busy.readToClose()
        #expect(rest.frames.filter { $0.streamID == 1 && $0.type == Frame.data }.flatMap(\.payload) == Array("held".utf8))
        #expect(rest.frames.contains { $0.streamID == 1 && $0.isEndStream })
        #expect(rest.end == .closed)
        await stopped
    }
}
