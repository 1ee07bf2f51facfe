import PhoenixHTTP
import PhoenixTesting
import Testing

@Suite struct ConnectionBehaviourTests {
    @Test func keepAliveServesManyRequestsOnOneConnection() async throws {
        let live = try LiveServer(responder: TestRoutes.router())
        let client = try TestSocket(port: live.port)
        for _ in 0..<20 {
            try client.send("GET /health HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try #require(await client.readResponse())
            #expect(response.status == 200)
            #expect(response.text == "ok")
            #expect(response.header("connection") == nil)
            #expect(response.header("date") != nil)
        }
        #expect(live.server.openConnections == 1)
        await live.stop()
    }

    @Test func pipelinedRequestsAreAnsweredInOrderEvenWhenTheFirstIsSlow() async throws {
        let live = try LiveServer(responder: TestRoutes.router())
        let client = try TestSocket(port: live.port)
        try client.send(
            "GET /slow?ms=150 HTTP/1.1\r\nHost: t\r\n\r\n"
                + "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\none"
                + "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\ntwo"
        )
        #expect(await client.readResponse()?.text == "slow")
        #expect(await client.readResponse()?.text == "one")
        #expect(await client.readResponse()?.text == "two")
        await live.stop()
    }

    @Test func headResponseCarriesLengthButNoBody() async throws {
        let live = try LiveServer(responder: TestRoutes.router())
        let client = try TestSocket(port: live.port)
        try client.send("HEAD /health HTTP/1.1\r\nHost: t\r\n\r\nGET /health HTTP/1.1\r\nHost: t\r\n\r\n")
        let head = try #require(await client.readResponse(isHead: true))
        #expect(head.header("content-length") == "2")
        #expect(head.body.isEmpty)
        // If HEAD had carried a body, it would be read as the start of this response.
        #expect(await client.readResponse()?.text == "ok")
        await live.stop()
    }

    @Test func expectContinueGetsAnInterimResponseBeforeTheBodyIsSent() async throws {
        let live = try LiveServer(responder: TestRoutes.router())
        let client = try TestSocket(port: live.port)
        try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n")
        #expect(await client.readResponse()?.status == 100)
        try client.send("data")
        #expect(await client.readResponse()?.text == "data")
        await live.stop()
    }

    @Test func expectContinueWithAnOversizedBodyIsRefusedWithoutReadingIt() async throws {
        let live = try LiveServer(responder: TestRoutes.router()) { $0.limits.maxBodyBytes = 10 }
        let client = try TestSocket(port: live.port)
        try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 11\r\n\r\n")
        #expect(await client.readResponse()?.status == 413)
        #expect(await client.waitForClose() == .closed)
        await live.stop()
    }

    @Test func curlSendsChunkedBodiesAndKeepsTheConnectionAlive() async throws {
        let live = try LiveServer(responder: TestRoutes.router())
        let output = try await ProcessRunner.run("curl", [
            "-sS", "-H", "Transfer-Encoding: chunked", "--data-binary", "chunky body",
            "\(live.baseURL)/echo", "-w", " %{num_connects}",
            "--next", "-sS", "\(live.baseURL)/health", "-w", " %{num_connects}",
        ])
        #expect(output.status == 0, "\(output.stderr)")
        // Two transfers, one connection: curl reports 1 new connect, then 0 for the reused one.
        #expect(output.stdout == "chunky body 1ok 0")
        await live.stop()
    }

    @Test func curlGetsProblemJSONForUnknownPaths() async throws {
        let live = try LiveServer(responder: TestRoutes.router())
        let output = try await ProcessRunner.run("curl", ["-sS", "-i", "\(live.baseURL)/no/such/path"])
        #expect(output.stdout.hasPrefix("HTTP/1.1 404 Not Found"))
        #expect(output.stdout.contains("Content-Type: application/problem+json"))
        #expect(output.stdout.contains("\"status\":404"))
        await live.stop()
    }

    @Test func ipv6LoopbackIsServed() async throws {
        let live = try LiveServer(responder: TestRoutes.router()) { configuration in
            configuration.listen = [try SocketAddressFixture.ipv6Loopback()]
        }
        let client = try TestSocket(host: "::1", port: live.port)
        try client.send("GET /health HTTP/1.1\r\nHost: [::1]\r\n\r\n")
        #expect(await client.readResponse()?.status == 200)
        await live.stop()
    }

    @Test func largeResponsesSurvivePartialWrites() async throws {
        let live = try LiveServer(responder: TestRoutes.router())
        let client = try TestSocket(port: live.port)
        let body = (0..<900_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try client.send(Array("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: \(body.count)\r\n\r\n".utf8) + body)
        let response = try #require(await client.readResponse())
        #expect(response.body == body)
        await live.stop()
    }

    @Test func requestsPipelinedAfterAContinueOrAChunkedBodyAreServed() async throws {
        let live = try LiveServer(responder: TestRoutes.router())
        let client = try TestSocket(port: live.port)
        try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n")
        #expect(await client.readResponse()?.status == 100)
        try client.send("hi" + "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
                        + "GET /health HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(await client.readResponse()?.text == "hi")
        #expect(await client.readResponse()?.text == "abc")
        #expect(await client.readResponse()?.text == "ok")
        await live.stop()
    }

    @Test func aClientThatHalfClosesAfterItsRequestStillGetsTheAnswer() async throws {
        let live = try LiveServer(responder: TestRoutes.router())
        let client = try TestSocket(port: live.port)
        try client.send("GET /slow?ms=50 HTTP/1.1\r\nHost: t\r\n\r\n")
        client.shutdownWrite()
        #expect(await client.readResponse()?.text == "slow")
        #expect(await client.waitForClose() == .closed)
        #expect(await eventually { live.server.openConnections == 0 })
        await live.stop()
    }

    @Test func twoThousandPipelinedRequestsAreAnsweredInOrder() async throws {
        let live = try LiveServer(responder: TestRoutes.router())
        // 30 s per read: with every suite running beside it, the first answer once took longer than 5 s.
        let client = try TestSocket(port: live.port, receiveTimeout: .seconds(30))
        var batch = ""
        for index in 0..<2_000 {
            batch += "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: \(String(index).count)\r\n\r\n\(index)"
        }
        async let sent: Void = client.sendInBackground(batch)  // may block until the server reads
        var inOrder = 0
        for index in 0..<2_000 where await client.readResponse()?.text == String(index) { inOrder += 1 }
        try await sent
        #expect(inOrder == 2_000)
        await live.stop()
    }
}
