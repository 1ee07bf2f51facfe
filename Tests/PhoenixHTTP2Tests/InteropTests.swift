import Foundation
import HTTPTypes
import PhoenixHTTP
import PhoenixTesting
import Testing

/// Real HTTP/2 clients (curl, nghttp, h2load) against our live server, h2c with prior knowledge.
@Suite struct InteropTests {
    static func router() -> Router {
        var router = TestRoutes.router()
        router.get("/whoami") { request, _ in
            // What a handler sees: the same on both protocols.
            let text = "\(request.method) \(request.head.path ?? "-") \(request.head.authority ?? "-") \(request.head.scheme ?? "nil") " +
                "\(request.headerFields[HTTPField.Name("Host")!] ?? "-") \(request.headerFields[HTTPField.Name("X-Test")!] ?? "-")"
            return Response(status: .ok, contentType: "text/plain", body: text)
        }
        return router
    }

    @Test func curlWithPriorKnowledgeGetsHealthOverHTTP2() async throws {
        let live = try LiveServer(responder: Self.router())
        let output = try await H2Curl.run(["-i", "-w", "|%{http_version}", "\(live.baseURL)/health"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.hasPrefix("HTTP/2 200"))
        #expect(output.stdout.contains("content-length: 2"))
        #expect(output.stdout.contains("date: "))
        #expect(output.stdout.hasSuffix("ok|2"))
        await live.stop()
    }

    @Test func handlersSeeTheSameRequestOnBothProtocols() async throws {
        let live = try LiveServer(responder: Self.router())
        let url = "\(live.baseURL)/whoami?x=1"
        let h2 = try await H2Curl.run(["-H", "X-Test: yes", url])
        let h1 = try await ProcessRunner.run("curl", ["--http1.1", "-sS", "-H", "X-Test: yes", url])
        #expect(h2.stdout == "GET /whoami?x=1 127.0.0.1:\(live.port) nil 127.0.0.1:\(live.port) yes", "\(h2.stderr)")
        #expect(h2.stdout == h1.stdout)
        await live.stop()
    }

    @Test func http11AndUpgradeRequestsStillWorkOnTheSameListener() async throws {
        let live = try LiveServer(responder: Self.router())
        let h1 = try await ProcessRunner.run("curl", ["--http1.1", "-sS", "-w", " %{http_version}", "\(live.baseURL)/health"])
        #expect(h1.stdout == "ok 1.1")
        // `curl --http2` asks for an h2c Upgrade, which we do not offer: it stays on HTTP/1.1.
        let upgrade = try await ProcessRunner.run("curl", ["--http2", "-sS", "-w", " %{http_version}", "\(live.baseURL)/health"])
        #expect(upgrade.stdout == "ok 1.1", "\(upgrade.stderr)")
        // A request line starting like the preface but differing is plain (bad) HTTP/1.1.
        let client = try TestSocket(port: live.port)
        try client.send("PRI * HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(await client.readResponse()?.status == 400)
        await live.stop()
    }

    @Test func requestBodiesEchoAndTheBodyLimitAnswers413() async throws {
        let live = try LiveServer(responder: Self.router()) { $0.limits.maxBodyBytes = 64 * 1024 }
        let body = String(repeating: "abcdefgh", count: 4096)  // 32 KiB
        let echo = try await H2Curl.run(["--data-binary", body, "\(live.baseURL)/echo"])
        #expect(echo.stdout == body, "\(echo.stderr)")
        let tooLarge = String(repeating: "x", count: 100 * 1024)
        let declared = try await H2Curl.run(["-o", "/dev/null", "-w", "%{http_code}", "--data-binary", tooLarge, "\(live.baseURL)/echo"])
        #expect(declared.stdout == "413", "\(declared.stderr)")
        // Without Content-Length the limit is found while the DATA frames arrive.
        let streamed = try await H2Curl.run(["-o", "/dev/null", "-w", "%{http_code}", "-H", "Transfer-Encoding: chunked",
                                             "--data-binary", tooLarge, "\(live.baseURL)/echo"])
        #expect(streamed.stdout == "413", "\(streamed.stderr)")
        #expect(try await FrameClient.isHealthy(live))
        await live.stop()
    }

    @Test func aLargeUploadFlowsThroughWindowUpdates() async throws {
        let live = try LiveServer(responder: Self.router())  // 1 MiB body limit; 256 KiB stream window
        let path = "/tmp/phoenix-h2-upload-\(live.port).bin"
        let body = String(repeating: "0123456789abcdef", count: 60 * 1024)  // 960 KiB
        try body.write(toFile: path, atomically: false, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let echo = try await H2Curl.run(["--data-binary", "@\(path)", "-o", "/dev/null", "-w", "%{size_download} %{http_code}", "\(live.baseURL)/echo"])
        #expect(echo.stdout == "\(960 * 1024) 200", "\(echo.stderr)")
        await live.stop()
    }

    @Test func headerLimitsAnswer431AsOnHTTP11() async throws {
        let live = try LiveServer(responder: Self.router())
        let many = (0...100).flatMap { ["-H", "X-Field-\($0): v"] }
        let tooMany = try await H2Curl.run(["-o", "/dev/null", "-w", "%{http_code}"] + many + ["\(live.baseURL)/health"])
        #expect(tooMany.stdout == "431", "\(tooMany.stderr)")
        let large = try await H2Curl.run(["-o", "/dev/null", "-w", "%{http_code}", "-H", "X-Big: \(String(repeating: "b", count: 40_000))",
                                          "\(live.baseURL)/health"])
        #expect(large.stdout == "431", "\(large.stderr)")
        await live.stop()
    }

    @Test func nghttpFetchesAHundredStreamsOnOneConnection() async throws {
        let live = try LiveServer(responder: Self.router())
        let output = try await ProcessRunner.run("nghttp", ["-n", "-s", "-m", "100", "\(live.baseURL)/bytes?n=20000"])
        #expect(output.status == 0, "\(output.stderr)")
        // `-s` prints one statistics line per stream ("responseEnd ... /bytes?n=20000").
        let lines = output.stdout.split(separator: "\n").filter { $0.hasSuffix("/bytes?n=20000") }
        #expect(lines.count == 100, "\(output.stdout)")
        await live.stop()
    }

    @Test func h2loadCompletesEveryRequest() async throws {
        let live = try LiveServer(responder: Self.router())
        let output = try await ProcessRunner.run("h2load", ["-n", "2000", "-c", "4", "-m", "10", "\(live.baseURL)/health"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("2000 succeeded, 0 failed, 0 errored"), "\(output.stdout)")
        await live.stop()
    }
}
