import HTTPTypes
import Logging
import PhoenixHTTP
import PhoenixTesting
import Testing

@Suite struct MiddlewareTests {
    static func router() -> Router {
        var router = TestRoutes.router()
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: AccessLogMiddleware(probeSampleRate: 10))
        router.get("/whoami") { _, context in
            Response(status: .ok, contentType: "text/plain", body: context.requestID ?? "none")
        }
        router.get("/log") { _, context in
            context.logger.info("inside handler")
            return Response(status: .ok)
        }
        return router
    }

    @Test func requestIDIsEchoedWhenSaneAndGeneratedOtherwise() async throws {
        let live = try LiveServer(responder: Self.router())
        let client = try TestSocket(port: live.port)
        try client.send("GET /whoami HTTP/1.1\r\nHost: t\r\nX-Request-ID: abc-123\r\n\r\n")
        let echoed = try #require(await client.readResponse())
        #expect(echoed.text == "abc-123")
        #expect(echoed.header("x-request-id") == "abc-123")
        try client.send("GET /whoami HTTP/1.1\r\nHost: t\r\nX-Request-ID: bad id <script>\r\n\r\nGET /whoami HTTP/1.1\r\nHost: t\r\n\r\n")
        let replaced = try #require(await client.readResponse())
        let generated = try #require(await client.readResponse())
        #expect(replaced.text != "bad id <script>")
        #expect(!generated.text.isEmpty && generated.text != replaced.text)
        #expect(generated.header("x-request-id") == generated.text)
        await live.stop()
    }

    @Test func accessLogRedactsSecretsAndTagsTheRequestID() async throws {
        let logs = InMemoryLogs()
        let live = try LiveServer(responder: Self.router(), logger: logs.logger())
        let client = try TestSocket(port: live.port)
        try client.send("GET /log?access_token=s3cr3t&page=2 HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer tok-XYZ\r\nCookie: session=abc\r\nX-Request-ID: r-1\r\n\r\n")
        #expect(await client.readResponse()?.status == 200)
        let entries = logs.entries
        let access = try #require(entries.first { $0.message == "request" })
        #expect(access.metadata["http.path"] == "/log?access_token=***&page=2")
        #expect(access.metadata["http.status"] == "200")
        #expect(access.metadata["request.id"] == "r-1")
        let headers = try #require(entries.first { $0.message == "request headers" })
        #expect(headers.metadata["http.headers"]?.contains("authorization: ***") == true)
        #expect(headers.metadata["http.headers"]?.contains("cookie: ***") == true)
        let everything = entries.map { "\($0.message) \($0.metadata)" }.joined()
        #expect(!everything.contains("s3cr3t"))
        #expect(!everything.contains("tok-XYZ"))
        #expect(entries.contains { $0.message == "inside handler" && $0.metadata["request.id"] == "r-1" })
        await live.stop()
    }

    @Test func healthProbesAreSampledButStatusChangesAreLogged() async throws {
        let logs = InMemoryLogs()
        let live = try LiveServer(responder: Self.router(), logger: logs.logger(level: .info))
        let client = try TestSocket(port: live.port)
        for _ in 0..<50 {
            try client.send("GET /health HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(await client.readResponse()?.status == 200)
        }
        let probeLines = logs.entries.filter { $0.message == "request" && $0.metadata["http.path"] == "/health" }
        // The first probe, then every 10th: 1, 10, 20, 30, 40, 50.
        #expect(probeLines.count == 6)
        await live.stop()
    }

    @Test func aSlowHandlerDoesNotDelayHealthOnAnotherConnection() async throws {
        let live = try LiveServer(responder: Self.router()) { $0.loopCount = 1 }
        let slow = try TestSocket(port: live.port)
        try slow.send("GET /slow?ms=20000 HTTP/1.1\r\nHost: t\r\n\r\n")
        let probe = try TestSocket(port: live.port)
        for _ in 0..<5 {
            try probe.send("GET /health HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(await probe.readResponse()?.status == 200)
        }
        // The slow answer is still pending: the probes were served while it waited, on one loop.
        slow.setReceiveTimeout(.milliseconds(50))
        #expect(await slow.readResponse() == nil)
        await live.stop(gracePeriod: .milliseconds(100))
    }
}
