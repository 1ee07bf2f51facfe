import PhoenixHTTP
import PhoenixTesting
import Testing

/// Every timeout with values under a second, as the tests of a slow client would need.
@Suite struct TimeoutTests {
    @Test func slowlorisHeadIsAnswered408AndClosed() async throws {
        let live = try LiveServer(responder: TestRoutes.router()) { $0.headerTimeout = .milliseconds(300) }
        let client = try TestSocket(port: live.port)
        let started = ContinuousClock.now
        // Trickle a head that never ends: each byte must not extend the deadline.
        try client.send("GET /health HTTP/1.1\r\n")
        for _ in 0..<8 {
            try await Task.sleep(for: .milliseconds(50))
            try? client.send("X")
        }
        let response = try #require(await client.readResponse())
        #expect(response.status == 408)
        #expect(await client.waitForClose() == .closed)
        #expect(ContinuousClock.now - started < .seconds(3))
        await live.stop()
    }

    @Test func connectionThatSendsNothingIsClosedAfterTheHeaderTimeout() async throws {
        let live = try LiveServer(responder: TestRoutes.router()) { $0.headerTimeout = .milliseconds(200) }
        let client = try TestSocket(port: live.port)
        #expect(await client.waitForClose() == .closed)
        #expect(await eventually { live.server.openConnections == 0 })
        await live.stop()
    }

    @Test func idleKeepAliveConnectionIsClosedQuietly() async throws {
        let live = try LiveServer(responder: TestRoutes.router()) { $0.idleTimeout = .milliseconds(200) }
        let client = try TestSocket(port: live.port)
        try client.send("GET /health HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(await client.readResponse()?.status == 200)
        // No 408 for an idle connection: RFC 9112 §9.5 lets a server close it silently.
        #expect(await client.waitForClose() == .closed)
        #expect(await client.readResponse() == nil)
        await live.stop()
    }

    @Test func bodyThatStopsArrivingIsAnswered408() async throws {
        let live = try LiveServer(responder: TestRoutes.router()) { $0.bodyTimeout = .milliseconds(250) }
        let client = try TestSocket(port: live.port)
        try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc")
        #expect(await client.readResponse()?.status == 408)
        #expect(await client.waitForClose() == .closed)
        await live.stop()
    }

    @Test func keepAliveConnectionSurvivesShorterGapsThanTheIdleTimeout() async throws {
        let live = try LiveServer(responder: TestRoutes.router()) { $0.idleTimeout = .seconds(1) }
        let client = try TestSocket(port: live.port)
        for _ in 0..<4 {
            try client.send("GET /health HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(await client.readResponse()?.status == 200)
            try await Task.sleep(for: .milliseconds(200))
        }
        await live.stop()
    }
}
