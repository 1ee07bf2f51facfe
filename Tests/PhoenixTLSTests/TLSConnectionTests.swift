import Foundation
import PhoenixHTTP
import PhoenixTesting
import PhoenixTLS
import Testing

/// What reaches a TLS listener besides a good client: plain HTTP, garbage, clients that stall.
@Suite struct TLSConnectionTests {
    @Test func plainHTTPSentToTheTLSPortGetsAPlain400AndIsClosed() async throws {
        let (live, _) = try TLSFixtures.server()
        defer { Task { await live.stop() } }
        let socket = try TestSocket(port: live.port)
        try socket.send("GET /health HTTP/1.1\r\nHost: phoenix.test\r\n\r\n")
        let response = await socket.readResponse()
        #expect(response?.status == 400)
        #expect(response?.text.contains("speaks HTTPS") == true)
        #expect(await socket.waitForClose() == .closed)
        #expect(await eventually { live.server.openConnections == 0 })
    }

    @Test(arguments: [[0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5], [0x16, 0xFF, 0xFF, 0xFF, 0xFF] + [UInt8](repeating: 0x41, count: 300), [0x16]])
    func garbageAfterAHandshakeByteIsDroppedAndTheServerGoesOn(_ bytes: [UInt8]) async throws {
        let (live, _) = try TLSFixtures.server { $0.headerTimeout = .seconds(30) }
        defer { Task { await live.stop() } }
        let socket = try TestSocket(port: live.port)
        try socket.send(bytes)
        if bytes.count > 1 {
            // A record OpenSSL can judge: an alert (or nothing) and the connection closed.
            #expect(await socket.readUntilClose().end == .closed)
        }
        let output = try await ProcessRunner.run("curl", ["-sS", "-k", "https://127.0.0.1:\(live.port)/health"])
        #expect(output.stdout == "ok", "\(output.stderr)")
    }

    @Test func stalledHandshakesAreDroppedAtTheirTimeoutAndLeaveNothingOpen() async throws {
        let (live, _) = try TLSFixtures.server(.init(certificates: [TLSFixtures.files("default")], handshakeTimeout: .milliseconds(300)))
        defer { Task { await live.stop() } }
        // Half of them send nothing, half the start of a record header, and then all stall.
        let sockets = try await offPool {
            try (0..<200).map { index in
                let socket = try TestSocket(port: live.port, receiveTimeout: .seconds(30))
                if index.isMultiple(of: 2) { try socket.send([0x16, 0x03, 0x01]) }
                return socket
            }
        }
        for socket in sockets {
            #expect(await socket.readUntilClose().end == .closed)
        }
        #expect(await eventually { live.server.openConnections == 0 })
        let output = try await ProcessRunner.run("curl", ["-sS", "-k", "https://127.0.0.1:\(live.port)/health"])
        #expect(output.stdout == "ok", "\(output.stderr)")
    }

    @Test func atTheConnectionLimitAStalledHandshakeMakesRoomForANewClient() async throws {
        let (live, _) = try TLSFixtures.server { http in
            http.connectionLimit = 3
            http.loopCount = 1
        }
        defer { Task { await live.stop() } }
        let stalled = try (0..<3).map { _ in try TestSocket(port: live.port, receiveTimeout: .seconds(30)) }
        #expect(await eventually { live.server.openConnections == 3 })
        let output = try await ProcessRunner.run("curl", ["-sS", "-k", "https://127.0.0.1:\(live.port)/health"])
        #expect(output.stdout == "ok", "\(output.stderr)")
        // The oldest stalled handshake was the one closed.
        #expect(await stalled[0].readUntilClose().end == .closed)
    }

    @Test func shutdownClosesHandshakesInProgress() async throws {
        let (live, _) = try TLSFixtures.server()
        let socket = try TestSocket(port: live.port, receiveTimeout: .seconds(30))
        try socket.send([0x16, 0x03])
        #expect(await eventually { live.server.openConnections == 1 })
        await live.stop(gracePeriod: .seconds(5))
        #expect(await socket.readUntilClose().end == .closed)
        #expect(live.server.openConnections == 0)
    }
}
