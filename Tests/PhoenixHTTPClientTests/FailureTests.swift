import HTTPTypes
import PhoenixHTTPClient
import PhoenixTesting
import Testing

/// Peers that refuse, stall, lie or hang up: each ends in a clear error, never a short success.
@Suite struct FailureTests {
    static let quickStall = HTTPClientTimeouts(stall: .init(bytesPerSecond: 1, window: .milliseconds(200)))

    @Test func aRefusedConnectionIsConnectFailed() async throws {
        // A port that was just free: bind it, note it, close it.
        let peer = try RawPeer(.silent)
        let port = peer.port
        peer.stop()
        try await ClientHarness.withClient { client in
            let error = await #expect(throws: HTTPClientError.self) {
                try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/"))
            }
            #expect(error?.code == .connectFailed)
            #expect(error?.curlCodeName == "CURLE_COULDNT_CONNECT")
        }
    }

    @Test func aPeerThatNeverAnswersTripsTheStallLimit() async throws {
        let peer = try RawPeer(.silent)
        defer { peer.stop() }
        try await ClientHarness.withClient { client in
            let error = await #expect(throws: HTTPClientError.self) {
                try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(peer.port)/", timeouts: Self.quickStall))
            }
            #expect(error?.code == .timeout)
            #expect(client.statistics.activeTransfers == 0)
        }
    }

    @Test func aPeerThatStopsMidBodyTripsTheStallLimitWhileStreaming() async throws {
        let peer = try RawPeer(.stallAfter(head: "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n", body: 1000))
        defer { peer.stop() }
        try await ClientHarness.withClient { client in
            let request = HTTPClientRequest(url: "http://127.0.0.1:\(peer.port)/", timeouts: Self.quickStall)
            var received = 0
            let error = await #expect(throws: HTTPClientError.self) {
                try await client.execute(request) { head, body in
                    #expect(head.status == .ok)
                    for try await piece in body { received += piece.count }
                }
            }
            #expect(error?.code == .timeout)
            #expect(received <= 1000)
        }
    }

    @Test func theTotalTimeoutEndsASlowResponse() async throws {
        try await ClientHarness.withServerAndClient { server, client in
            let request = HTTPClientRequest(url: server.baseURL + "/slow?ms=10000", timeouts: HTTPClientTimeouts(total: .milliseconds(300), stall: nil))
            let error = await #expect(throws: HTTPClientError.self) { try await client.execute(request) }
            #expect(error?.code == .timeout)
            #expect(error?.curlCodeName == "CURLE_OPERATION_TIMEDOUT")
        }
    }

    @Test func theConnectTimeoutEndsAConnectionThatIsNeverAccepted() async throws {
        let listener = try FullBacklogListener()
        defer { listener.close() }
        try await ClientHarness.withClient { client in
            let request = HTTPClientRequest(url: "http://127.0.0.1:\(listener.port)/", timeouts: HTTPClientTimeouts(connect: .milliseconds(200), stall: nil))
            let error = await #expect(throws: HTTPClientError.self) { try await client.execute(request) }
            #expect(error?.code == .timeout)
        }
    }

    @Test(arguments: [
        "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2710\r\n",
    ])
    func aPeerThatClosesMidBodyIsATruncatedResponse(head: String) async throws {
        let peer = try RawPeer(.closeAfter(head: head, body: 5000))
        defer { peer.stop() }
        try await ClientHarness.withClient { client in
            let url = "http://127.0.0.1:\(peer.port)/"
            let buffered = await #expect(throws: HTTPClientError.self) { try await client.execute(HTTPClientRequest(url: url)) }
            #expect(buffered?.code == .truncatedResponse)
            var received = 0
            let streamed = await #expect(throws: HTTPClientError.self) {
                try await client.execute(HTTPClientRequest(url: url)) { _, body in
                    for try await piece in body { received += piece.count }
                }
            }
            #expect(streamed?.code == .truncatedResponse)
            #expect(received <= 5000)
        }
    }

    @Test func aPeerThatAnswersGarbageIsAnInvalidResponse() async throws {
        let peer = try RawPeer(.garbage)
        defer { peer.stop() }
        try await ClientHarness.withClient { client in
            let error = await #expect(throws: HTTPClientError.self) {
                try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(peer.port)/"))
            }
            #expect(error?.code == .invalidResponse)
        }
    }

    @Test func aDeclaredBodyOverTheMaximumFailsBeforeItIsRead() async throws {
        try await ClientHarness.withServerAndClient { server, client in
            let error = await #expect(throws: HTTPClientError.self) {
                try await client.execute(HTTPClientRequest(url: server.baseURL + "/bytes?n=2000000"), maxBodyBytes: 1_000_000)
            }
            #expect(error?.code == .bodyTooLarge)
            #expect(await eventually { client.statistics.activeTransfers == 0 })
            let small = try await client.execute(HTTPClientRequest(url: server.baseURL + "/bytes?n=1000000"), maxBodyBytes: 1_000_000)
            #expect(small.body.count == 1_000_000)
        }
    }

    @Test func anEndlessChunkedBodyStopsAtTheMaximum() async throws {
        let peer = try RawPeer(.endlessChunks)
        defer { peer.stop() }
        try await ClientHarness.withClient { client in
            let error = await #expect(throws: HTTPClientError.self) {
                try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(peer.port)/"), maxBodyBytes: 4 * ClientHarness.mebibyte)
            }
            #expect(error?.code == .bodyTooLarge)
            #expect(await eventually { client.statistics.activeTransfers == 0 })
        }
    }

    @Test func aFailingProducerFailsTheRequest() async throws {
        struct ProducerBroke: Error {}
        try await ClientHarness.withServerAndClient { server, client in
            let request = HTTPClientRequest(method: .put, url: server.baseURL + "/echo", body: .stream(length: 10_000) { writer in
                try await writer.write([UInt8](repeating: 1, count: 1000))
                throw ProducerBroke()
            })
            let error = await #expect(throws: HTTPClientError.self) { try await client.execute(request) }
            #expect(error?.code == .requestBodyFailed)
            let short = HTTPClientRequest(method: .put, url: server.baseURL + "/echo", body: .stream(length: 10) { try await $0.write([1]) })
            let shortError = await #expect(throws: HTTPClientError.self) { try await client.execute(short) }
            #expect(shortError?.code == .requestBodyFailed)
        }
    }

    @Test func errorTextsAndLogsNeverCarryCredentials() async throws {
        let peer = try RawPeer(.garbage)
        defer { peer.stop() }
        let logs = InMemoryLogs()
        try await ClientHarness.withClient(logger: logs.logger()) { client in
            var fields = HTTPFields()
            fields[.authorization] = "Bearer token-topsecret"
            let request = HTTPClientRequest(url: "http://admin:pw-topsecret@127.0.0.1:\(peer.port)/v1/x", headerFields: fields)
            let error = await #expect(throws: HTTPClientError.self) { try await client.execute(request) }
            let texts = [error.map { "\($0)" }, error.map { String(reflecting: $0) }].compactMap { $0 }
            #expect(texts.count == 2)
            #expect(texts.allSatisfy { !$0.contains("topsecret") })
        }
        let logged = logs.entries.map { "\($0.message) \($0.metadata)" }
        #expect(logged.contains { $0.contains("transfer failed") })
        #expect(logged.allSatisfy { !$0.contains("topsecret") })
    }
}
