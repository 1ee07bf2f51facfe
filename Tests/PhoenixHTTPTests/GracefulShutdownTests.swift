import PhoenixHTTP
import PhoenixTesting
import Synchronization
import Testing

@Suite struct GracefulShutdownTests {
    @Test func requestInFlightFinishesAndIdleConnectionsClose() async throws {
        let monitor = TestRoutes.SlowMonitor()
        let live = try LiveServer(responder: TestRoutes.router(monitor: monitor))
        let idle = try TestSocket(port: live.port)
        try idle.send("GET /health HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(await idle.readResponse()?.status == 200)
        let inFlight = try TestSocket(port: live.port)
        try inFlight.send("GET /hold HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(await eventually { monitor.started.load(ordering: .relaxed) == 1 })

        async let stopped: Void = live.stop(gracePeriod: .seconds(30))
        #expect(await idle.waitForClose() == .closed, "idle connections close at once")
        monitor.gate.open()  // the handler in flight finishes within the grace period
        let response = try #require(await inFlight.readResponse())
        #expect(response.status == 200)
        #expect(response.text == "held")
        #expect(response.header("connection") == "close")
        await stopped
        #expect(throws: (any Error).self, "nothing listens after shutdown") {
            try TestSocket(port: live.port)
        }
    }

    @Test func handlersThatOutliveTheGracePeriodAreCutOffAndCancelled() async throws {
        let monitor = TestRoutes.SlowMonitor()
        let live = try LiveServer(responder: TestRoutes.router(monitor: monitor))
        let client = try TestSocket(port: live.port)
        try client.send("GET /hold HTTP/1.1\r\nHost: t\r\n\r\n")  // the gate never opens
        #expect(await eventually { monitor.started.load(ordering: .relaxed) == 1 })
        // The gate never opens: that stop returns at all shows the handler was cut off.
        await live.stop(gracePeriod: .milliseconds(200))
        #expect(await client.waitForClose() == .closed)
        #expect(await eventually { monitor.cancelled.load(ordering: .relaxed) == 1 }, "the handler's task is cancelled")
    }
}
