import HTTPTypes
import PhoenixHTTP
import PhoenixTesting
import Synchronization
import Testing

final class Progress: Sendable {
    let written = Atomic<Int>(0)
}

@Suite struct StreamingTests {
    static func router(progress: Progress = Progress()) -> Router {
        var router = TestRoutes.router()
        router.get("/events") { _, _ in
            Response(status: .ok, headerFields: [.contentType: "text/event-stream"]) { writer in
                for index in 1...3 {
                    try await writer.write("data: event \(index)\n\n")
                    try await Task.sleep(for: .milliseconds(20))
                }
            }
        }
        router.get("/broken") { _, _ in
            Response(status: .ok, headerFields: [.contentType: "text/plain"]) { writer in
                try await writer.write("partial")
                throw HTTPError(.internalServerError)
            }
        }
        router.get("/big") { _, _ in
            Response(status: .ok, headerFields: [.contentType: "application/octet-stream"]) { writer in
                let piece = [UInt8](repeating: 0x61, count: 64 * 1024)
                for _ in 0..<160 {  // 10 MiB
                    try await writer.write(piece)
                    progress.written.add(piece.count, ordering: .relaxed)
                }
            }
        }
        return router
    }

    @Test func streamedBodyArrivesChunkedAndTheConnectionStaysUsable() async throws {
        let live = try LiveServer(responder: Self.router())
        let output = try await ProcessRunner.run("curl", ["-sS", "-i", "\(live.baseURL)/events", "--next", "-sS", "\(live.baseURL)/health", "-w", " %{num_connects}"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("Transfer-Encoding: chunked"))
        #expect(output.stdout.contains("data: event 1\n\ndata: event 2\n\ndata: event 3\n\n"))
        #expect(output.stdout.hasSuffix("ok 0"), "the keep-alive connection was reused after the stream")
        await live.stop()
    }

    @Test func http10ClientGetsTheStreamDelimitedByClose() async throws {
        let live = try LiveServer(responder: Self.router())
        let client = try TestSocket(port: live.port)
        try client.send("GET /events HTTP/1.0\r\n\r\n")
        let response = try #require(await client.readResponse())
        #expect(response.header("transfer-encoding") == nil)
        #expect(response.header("connection") == "close")
        #expect(response.text == "data: event 1\n\ndata: event 2\n\ndata: event 3\n\n")
        await live.stop()
    }

    @Test func producerFailureCutsTheConnectionSoTheBodyIsVisiblyIncomplete() async throws {
        let live = try LiveServer(responder: Self.router())
        let output = try await ProcessRunner.run("curl", ["-sS", "\(live.baseURL)/broken"])
        // curl 18: "transfer closed with outstanding read data remaining".
        #expect(output.status == 18, "\(output.stderr)")
        await live.stop()
    }

    @Test func headOfAStreamedResourceSendsNoBody() async throws {
        let live = try LiveServer(responder: Self.router())
        let client = try TestSocket(port: live.port)
        try client.send("HEAD /events HTTP/1.1\r\nHost: t\r\n\r\nGET /health HTTP/1.1\r\nHost: t\r\n\r\n")
        let head = try #require(await client.readResponse(isHead: true))
        #expect(head.header("transfer-encoding") == "chunked")
        #expect(await client.readResponse()?.text == "ok")
        await live.stop()
    }

    @Test func aClientThatDoesNotReadHoldsTheProducerBack() async throws {
        let progress = Progress()
        let live = try LiveServer(responder: Self.router(progress: progress))
        let client = try TestSocket(port: live.port)
        try client.send("GET /big HTTP/1.1\r\nHost: t\r\n\r\n")
        try await Task.sleep(for: .milliseconds(300))
        // Socket buffers on loopback hold a few MiB at most; the producer must be waiting well
        // short of the 10 MiB it wants to write.
        let written = progress.written.load(ordering: .relaxed)
        #expect(written < 8 * 1024 * 1024, "producer wrote \(written) bytes to a client that reads nothing")
        await live.stop(gracePeriod: .milliseconds(100))
    }
}
