import PhoenixHTTP
import PhoenixTesting
import Synchronization
import Testing

@Suite struct ConnectionLimitTests {
    @Test func aThousandConcurrentConnectionsAreAllServed() async throws {
        let live = try LiveServer(responder: TestRoutes.router())
        let count = 1_000
        let clients = try (0..<count).map { _ in try TestSocket(port: live.port) }
        for client in clients { try client.send("GET /health HTTP/1.1\r\nHost: t\r\n\r\n") }
        var served = 0
        for client in clients where await client.readResponse()?.status == 200 { served += 1 }
        #expect(served == count)
        #expect(live.server.openConnections == count)
        await live.stop()
    }

    @Test func atTheLimitTheOldestIdleConnectionMakesRoom() async throws {
        let live = try LiveServer(responder: TestRoutes.router()) {
            $0.connectionLimit = 3
            $0.loopCount = 1
        }
        var clients: [TestSocket] = []
        for _ in 0..<3 {
            let client = try TestSocket(port: live.port)
            try client.send("GET /health HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(await client.readResponse()?.status == 200)
            clients.append(client)
        }
        let probe = try TestSocket(port: live.port)
        try probe.send("GET /health HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(await probe.readResponse()?.status == 200, "a health probe must get through at the limit")
        #expect(await clients[0].waitForClose() == .closed, "the oldest idle connection is the one closed")
        try clients[2].send("GET /health HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(await clients[2].readResponse()?.status == 200, "younger idle connections stay open")
        await live.stop()
    }

    @Test func atTheLimitWithNoIdleConnectionTheNewOneIsRefused() async throws {
        let monitor = TestRoutes.SlowMonitor()
        let live = try LiveServer(responder: TestRoutes.router(monitor: monitor)) {
            $0.connectionLimit = 2
            $0.loopCount = 1
        }
        // Two connections held in their handlers until the gate opens: neither is idle.
        let busy = try (0..<2).map { _ in try TestSocket(port: live.port) }
        for client in busy { try client.send("GET /hold HTTP/1.1\r\nHost: t\r\n\r\n") }
        #expect(await eventually { monitor.started.load(ordering: .relaxed) == 2 })
        let refused = try TestSocket(port: live.port)
        #expect(await refused.readResponse()?.status == 503)
        #expect(await refused.waitForClose() == .closed)
        monitor.gate.open()
        for client in busy { #expect(await client.readResponse()?.text == "held") }
        await live.stop()
    }

    @Test func atTheLimitAnIdleConnectionOnAnotherLoopMakesRoom() async throws {
        let live = try LiveServer(responder: TestRoutes.router()) {
            $0.connectionLimit = 4
            $0.loopCount = 2
        }
        // Fill the server with idle keep-alive connections, spread over both loops by the kernel.
        var clients: [TestSocket] = []
        for _ in 0..<4 {
            let client = try TestSocket(port: live.port)
            try client.send("GET /health HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(await client.readResponse()?.status == 200)
            clients.append(client)
        }
        for _ in 0..<4 {
            let probe = try TestSocket(port: live.port)
            try probe.send("GET /health HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(await probe.readResponse()?.status == 200)
            clients.append(probe)
        }
        #expect(await eventually { live.server.openConnections <= 4 })
        await live.stop()
    }
}
