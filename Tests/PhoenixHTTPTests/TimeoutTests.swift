import PhoenixHTTP
import PhoenixTesting
import Synchronization
import Testing

/// A one-way flag shared with a task.
private final class Flag: Sendable {
    private let value = Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .acquiring) }
    func set() { value.store(true, ordering: .releasing) }
}

/// Every timeout with values under a second, as the tests of a slow client would need.
@Suite struct TimeoutTests {
    @Test func slowlorisHeadIsAnswered408WhileItIsStillTrickling() async throws {
        let live = try LiveServer(responder: TestRoutes.router()) { $0.headerTimeout = .milliseconds(300) }
        let client = try TestSocket(port: live.port)
        try client.send("GET /health HTTP/1.1\r\n")
        // One byte every 50 ms for 3 s: if each byte moved the deadline, no 408 would come before
        // the trickle ends. The 408 must arrive while it is still going.
        let trickleCompleted = Flag()
        let trickle = Task {
            for _ in 0..<60 {
                try await Task.sleep(for: .milliseconds(50))
                try client.send("X")
            }
            trickleCompleted.set()
        }
        let response = try #require(await client.readResponse())
        #expect(response.status == 408)
        #expect(!trickleCompleted.isSet, "the deadline must not move with each byte")
        trickle.cancel()
        #expect(await client.waitForClose() == .closed)
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
        let rest = await client.readUntilClose()
        #expect(rest.end == .closed)
        #expect(rest.bytes.isEmpty, "an idle close sends nothing, not a 408")
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
        // Generous against the gaps: the test's own 200 ms sleeps can run seconds late while
        // CPU-bound suites hold the cooperative pool, and with a 5 s idle timeout a starved gap
        // once outlasted it (the server closed the connection, as it should). 30 s cannot be
        // outlasted that way, and a server that closes after each answer still fails the test.
        let live = try LiveServer(responder: TestRoutes.router()) { $0.idleTimeout = .seconds(30) }
        let client = try TestSocket(port: live.port, receiveTimeout: .seconds(30))
        for _ in 0..<4 {
            try client.send("GET /health HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(await client.readResponse()?.status == 200)
            try await Task.sleep(for: .milliseconds(200))
        }
        await live.stop()
    }

    @Test func aClientThatStopsReadingIsDroppedAfterTheWriteTimeout() async throws {
        let live = try LiveServer(responder: TestRoutes.router()) { $0.writeTimeout = .milliseconds(300) }
        let client = try TestSocket(port: live.port)
        // 32 MiB cannot fit in loopback socket buffers, so the server must wait on a reader that
        // never reads, and give up.
        try client.send("GET /bytes?n=33554432 HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(await eventually { live.server.openConnections == 0 })
        await live.stop()
    }
}
