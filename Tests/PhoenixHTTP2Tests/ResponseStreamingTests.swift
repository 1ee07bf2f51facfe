import HTTPTypes
import PhoenixHTTP
import PhoenixTesting
import Testing

/// Streamed response bodies (Server-Sent Events, downloads) over HTTP/2.
@Suite struct ResponseStreamingTests {
    static func router() -> Router {
        var router = TestRoutes.router()
        router.get("/events") { _, _ in
            Response(status: .ok, headerFields: [.contentType: "text/event-stream"]) { writer in
                for index in 1...3 { try await writer.write("data: event \(index)\n\n") }
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
                for _ in 0..<160 { try await writer.write(piece) }  // 10 MiB
            }
        }
        return router
    }

    @Test func serverSentEventsArriveOverHTTP2() async throws {
        let live = try LiveServer(responder: Self.router())
        let output = try await H2Curl.run(["-i", "\(live.baseURL)/events"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.hasPrefix("HTTP/2 200"))
        #expect(!output.stdout.contains("transfer-encoding"), "HTTP/2 has no chunked coding")
        #expect(output.stdout.hasSuffix("data: event 1\n\ndata: event 2\n\ndata: event 3\n\n"))
        await live.stop()
    }

    @Test func aTenMiBDownloadArrivesWhole() async throws {
        let live = try LiveServer(responder: Self.router())
        let output = try await H2Curl.run(["-o", "/dev/null", "-w", "%{size_download} %{http_version}", "\(live.baseURL)/big"])
        #expect(output.stdout == "10485760 2", "\(output.stderr)")
        await live.stop()
    }

    @Test func producerFailureResetsTheStreamSoTheBodyIsVisiblyIncomplete() async throws {
        let live = try LiveServer(responder: Self.router())
        let output = try await H2Curl.run(["\(live.baseURL)/broken"])
        // curl 92: "HTTP/2 stream was not closed cleanly: INTERNAL_ERROR".
        #expect(output.status == 92, "\(output.stderr)")
        #expect(try await FrameClient.isHealthy(live))
        await live.stop()
    }

    @Test func headOfAStreamedResourceSendsNoBody() async throws {
        let live = try LiveServer(responder: Self.router())
        let output = try await H2Curl.run(["-I", "\(live.baseURL)/events"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.hasPrefix("HTTP/2 200"))
        await live.stop()
    }
}
