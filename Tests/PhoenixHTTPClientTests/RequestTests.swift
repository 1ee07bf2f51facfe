import HTTPTypes
import PhoenixHTTPClient
import PhoenixTesting
import Testing

/// Plain requests against our own server over real sockets.
@Suite struct RequestTests {
    @Test func getReturnsStatusHeadersBodyAndTiming() async throws {
        try await ClientHarness.withServerAndClient { server, client in
            let response = try await client.execute(HTTPClientRequest(url: server.baseURL + "/health"))
            #expect(response.status == .ok)
            #expect(response.text == "ok")
            #expect(response.headerFields[.contentType] == "text/plain")
            #expect(response.metrics.connectionsOpened == 1)
            #expect(response.metrics.totalTime >= response.metrics.timeToFirstByte)
            #expect(response.metrics.bytesReceived == 2)
        }
    }

    @Test func postWithBytesSendsContentLengthAndGetsTheEcho() async throws {
        try await ClientHarness.withServerAndClient { server, client in
            let body = Array("hello, phoenix".utf8)
            let echo = try await client.execute(HTTPClientRequest(method: .post, url: server.baseURL + "/echo", body: .bytes(body)))
            #expect(echo.status == .ok)
            #expect(echo.body == body)
            let seen = try await client.execute(HTTPClientRequest(method: .post, url: server.baseURL + "/inspect", body: .bytes(body)))
            #expect(seen.text.contains("method: POST"))
            #expect(seen.text.contains("content-length: 14"))
            #expect(!seen.text.contains("transfer-encoding"))
        }
    }

    @Test func putWithBytesUsesPutAndAnEmptyPostSendsZeroLength() async throws {
        try await ClientHarness.withServerAndClient { server, client in
            let put = try await client.execute(HTTPClientRequest(method: .put, url: server.baseURL + "/echo", body: .bytes([1, 2, 3])))
            #expect(put.body == [1, 2, 3])
            let empty = try await client.execute(HTTPClientRequest(method: .post, url: server.baseURL + "/inspect"))
            #expect(empty.text.contains("method: POST"))
            #expect(empty.text.contains("content-length: 0"))
            let delete = try await client.execute(HTTPClientRequest(method: .delete, url: server.baseURL + "/inspect"))
            #expect(delete.text.contains("method: DELETE"))
        }
    }

    @Test func streamedBodyWithKnownLengthIsSentWithContentLength() async throws {
        try await ClientHarness.withServerAndClient { server, client in
            let pieces = (0..<8).map { [UInt8](repeating: UInt8($0), count: 10_000) }
            let request = HTTPClientRequest(method: .put, url: server.baseURL + "/inspect", body: .stream(length: 80_000) { writer in
                for piece in pieces { try await writer.write(piece) }
            })
            let seen = try await client.execute(request)
            #expect(seen.text.contains("method: PUT"))
            #expect(seen.text.contains("content-length: 80000"))
            #expect(seen.text.contains("body-bytes: 80000"))
        }
    }

    @Test func streamedBodyOfUnknownLengthIsSentChunked() async throws {
        try await ClientHarness.withServerAndClient { server, client in
            let (stream, continuation) = AsyncStream<[UInt8]>.makeStream()
            for index in 0..<5 { continuation.yield([UInt8](repeating: UInt8(index), count: 3_000)) }
            continuation.finish()
            let request = HTTPClientRequest(method: .post, url: server.baseURL + "/echo", body: .sequence(stream, length: nil))
            let echo = try await client.execute(request)
            #expect(echo.body.count == 15_000)
            #expect(echo.body.prefix(3_000).allSatisfy { $0 == 0 } && echo.body.suffix(3_000).allSatisfy { $0 == 4 })
            let inspect = HTTPClientRequest(method: .post, url: server.baseURL + "/inspect", body: .stream(length: nil) { writer in
                try await writer.write(Array("abc".utf8))
            })
            #expect(try await client.execute(inspect).text.contains("transfer-encoding: chunked"))
        }
    }

    @Test func everyResponseFieldIsKeptInOrderWithRepeatedNames() async throws {
        try await ClientHarness.withServerAndClient { server, client in
            let response = try await client.execute(HTTPClientRequest(url: server.baseURL + "/repeated"))
            #expect(response.headerFields[values: .setCookie] == ["a=1", "b=2"])
            #expect(response.headerFields[values: HTTPField.Name("x-trace")!] == ["one", "two"])
            let names = response.headerFields.map(\.name.canonicalName).filter { $0 == "set-cookie" || $0 == "x-trace" }
            #expect(names == ["set-cookie", "x-trace", "set-cookie", "x-trace"])
        }
    }

    @Test func requestFieldsAreSentInOrderIncludingEmptyValues() async throws {
        try await ClientHarness.withServerAndClient { server, client in
            var fields = HTTPFields()
            fields.append(HTTPField(name: HTTPField.Name("X-First")!, value: "1"))
            fields.append(HTTPField(name: HTTPField.Name("X-Empty")!, value: ""))
            fields.append(HTTPField(name: HTTPField.Name("X-First")!, value: "2"))
            let seen = try await client.execute(HTTPClientRequest(url: server.baseURL + "/inspect", headerFields: fields)).text
            #expect(seen.contains("x-first: 1\nx-empty: \nx-first: 2"))
            #expect(seen.contains("user-agent: phoenix-dr"))
        }
    }

    @Test func headReturnsTheHeadWithoutWaitingForABody() async throws {
        try await ClientHarness.withServerAndClient { server, client in
            let response = try await client.execute(HTTPClientRequest(method: .head, url: server.baseURL + "/bytes?n=5000"), maxBodyBytes: 10)
            #expect(response.status == .ok)
            #expect(response.body.isEmpty)
        }
    }

    @Test func errorStatusesAreResponsesNotErrors() async throws {
        try await ClientHarness.withServerAndClient { server, client in
            let response = try await client.execute(HTTPClientRequest(url: server.baseURL + "/no-such-route"))
            #expect(response.status == .notFound)
        }
    }

    @Test func aURLThatIsNotHTTPIsRejectedBeforeAnyTraffic() async throws {
        try await ClientHarness.withClient { client in
            let error = await #expect(throws: HTTPClientError.self) {
                try await client.execute(HTTPClientRequest(url: "file:///etc/passwd"))
            }
            #expect(error?.code == .invalidRequest)
        }
    }
}
