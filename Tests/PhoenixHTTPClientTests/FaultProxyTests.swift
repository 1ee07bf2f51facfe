import HTTPTypes
import PhoenixHTTPClient
import PhoenixTesting
import Testing

/// The fault proxy between our client and our own server: what it passes, what it breaks, and
/// what it records.
@Suite struct FaultProxyTests {
    typealias Seen = FaultProxy.SeenRequest

    static let slowDown = "<Error><Code>SlowDown</Code></Error>"

    /// Our server keeps connections alive unless asked not to; moto always closes.
    static func request(_ proxy: FaultProxy, _ target: String, method: HTTPRequest.Method = .get, body: [UInt8]? = nil) -> HTTPClientRequest {
        HTTPClientRequest(method: method, url: "http://127.0.0.1:\(proxy.port)\(target)",
                          headerFields: [.connection: "close"], body: body.map { .bytes($0) } ?? .none)
    }

    /// Runs `body` with our server (4 MiB bodies), a proxy in front of it and a client; all are
    /// stopped on every path.
    static func withProxy(_ body: (FaultProxy, HTTPClient) async throws -> Void) async throws {
        try await ClientHarness.withServer(maxBodyBytes: 4 * ClientHarness.mebibyte) { server in
            let proxy = try FaultProxy(upstreamPort: Int(server.port))
            defer { proxy.stop() }
            try await ClientHarness.withClient { client in try await body(proxy, client) }
        }
    }

    @Test func aGetAndALargePostPassThroughIntact() async throws {
        try await Self.withProxy { proxy, client in
            let health = try await client.execute(Self.request(proxy, "/health"))
            #expect(health.status == .ok)
            #expect(health.text == "ok")
            let upload = (0..<(3 * ClientHarness.mebibyte)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 11) }
            let echo = try await client.execute(Self.request(proxy, "/echo", method: .post, body: upload))
            #expect(echo.status == .ok)
            #expect(echo.body == upload)
            #expect(proxy.requests == [Seen(method: "GET", target: "/health", faulted: false),
                                       Seen(method: "POST", target: "/echo", faulted: false)])
        }
    }

    @Test func anInjectedAnswerIsGivenOnceAndTheNextRequestPasses() async throws {
        try await Self.withProxy { proxy, client in
            proxy.inject(.respond(status: 503, body: Self.slowDown, headers: ["x-amz-request-id": "r1"]))
            let refused = try await client.execute(Self.request(proxy, "/health"))
            #expect(refused.status == .serviceUnavailable)
            #expect(refused.text == Self.slowDown)
            #expect(refused.headerFields[HTTPField.Name("x-amz-request-id")!] == "r1")
            let passed = try await client.execute(Self.request(proxy, "/health"))
            #expect(passed.status == .ok)
            #expect(passed.text == "ok")
            #expect(proxy.requests.map(\.faulted) == [true, false])
        }
    }

    @Test func anInjectedAnswerToALargeUploadIsReadAfterTheWholeBody() async throws {
        try await Self.withProxy { proxy, client in
            proxy.inject(.respond(status: 503, body: Self.slowDown))
            let upload = [UInt8](repeating: 7, count: 3 * ClientHarness.mebibyte)
            let refused = try await client.execute(Self.request(proxy, "/echo", method: .put, body: upload))
            #expect(refused.status == .serviceUnavailable)
            #expect(refused.text == Self.slowDown)
            let echo = try await client.execute(Self.request(proxy, "/echo", method: .put, body: upload))
            #expect(echo.body == upload)
        }
    }

    @Test func aResetPartWayThroughTheResponseIsAnErrorNotAShortSuccess() async throws {
        try await Self.withProxy { proxy, client in
            proxy.inject(.resetResponse(afterBytes: 100))
            let error = await #expect(throws: HTTPClientError.self) {
                try await client.execute(Self.request(proxy, "/bytes?n=1000000"))
            }
            #expect(error?.curlCodeName == "CURLE_RECV_ERROR")
            let whole = try await client.execute(Self.request(proxy, "/bytes?n=1000000"))
            #expect(whole.body.count == 1_000_000)
            #expect(proxy.requests == [Seen(method: "GET", target: "/bytes?n=1000000", faulted: true),
                                       Seen(method: "GET", target: "/bytes?n=1000000", faulted: false)])
        }
    }

    @Test func aResetResponseRelaysExactlyThePromisedPrefixAndThenResets() async throws {
        try await Self.withProxy { proxy, _ in
            proxy.inject(.resetResponse(afterBytes: 100))
            let socket = try TestSocket(port: UInt16(proxy.port))
            try socket.send("GET /bytes?n=1000000 HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
            let (bytes, end) = await socket.readUntilClose()
            #expect(bytes.count == 100)
            #expect(bytes.starts(with: Array("HTTP/1.1 200".utf8)))
            #expect(end == .closed)
        }
    }

    @Test func aResetBeforeTheResponseIsAnError() async throws {
        try await Self.withProxy { proxy, client in
            proxy.inject(.resetBeforeResponse)
            let error = await #expect(throws: HTTPClientError.self) {
                try await client.execute(Self.request(proxy, "/echo", method: .post, body: Array("lost".utf8)))
            }
            #expect(error?.curlCodeName == "CURLE_RECV_ERROR")
            #expect(proxy.requests == [Seen(method: "POST", target: "/echo", faulted: true)])
        }
    }

    @Test func rulesApplyOnlyWhereTheirConditionHoldsAndInTheOrderGiven() async throws {
        try await Self.withProxy { proxy, client in
            proxy.inject(.respond(status: 404, body: "first"), times: 2) { $0.target.hasPrefix("/bytes") }
            proxy.inject(.respond(status: 500, body: "second"))
            var bodies: [String] = []
            for target in ["/bytes?n=1", "/health", "/bytes?n=2", "/bytes?n=3"] {
                bodies.append(try await client.execute(Self.request(proxy, target)).text)
            }
            #expect(bodies == ["first", "second", "first", "bbb"])
            #expect(proxy.requests.map(\.faulted) == [true, true, true, false])
        }
    }

    @Test func concurrentRequestsSpendEachUseOfARuleExactlyOnce() async throws {
        try await Self.withProxy { proxy, client in
            proxy.inject(.respond(status: 503, body: Self.slowDown), times: 3)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await client.execute(Self.request(proxy, "/health")).status.code }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 503 }.count == 3)
            #expect(statuses.filter { $0 == 200 }.count == 5)
            #expect(proxy.requests.filter(\.faulted).count == 3)
        }
    }

    @Test func stopCanBeCalledTwiceAndThenConnectionsAreRefused() async throws {
        try await Self.withProxy { proxy, client in
            proxy.stop()
            proxy.stop()
            let error = await #expect(throws: HTTPClientError.self) {
                try await client.execute(Self.request(proxy, "/health"))
            }
            #expect(error?.code == .connectFailed)
        }
    }
}
