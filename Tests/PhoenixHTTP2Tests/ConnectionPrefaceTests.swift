import PhoenixHTTP
import PhoenixTesting
import Testing

/// How a plain listener tells h2c (prior knowledge) from HTTP/1.1 by the first bytes.
@Suite struct ConnectionPrefaceTests {
    @Test func firstBytesDecideTheProtocolAsSoonAsTheyCan() {
        let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)
        #expect(ConnectionPreface.match(preface) == .http2)
        #expect(ConnectionPreface.match(preface + Array("more".utf8)) == .http2)
        #expect(ConnectionPreface.match(preface.prefix(1)) == .undecided)
        #expect(ConnectionPreface.match(preface.prefix(23)) == .undecided)
        #expect(ConnectionPreface.match([UInt8]()) == .undecided)
        #expect(ConnectionPreface.match(Array("GET / HTTP/1.1\r\n".utf8)) == .http1, "decided on the first byte")
        #expect(ConnectionPreface.match(Array("POST".utf8)) == .http1, "decided on the second byte")
        #expect(ConnectionPreface.match(Array("PRI * HTTP/1.1\r\n".utf8)) == .http1)
    }

    @Test func aPrefaceSentByteByByteStillSelectsHTTP2() async throws {
        let live = try LiveServer(responder: TestRoutes.router())
        let client = try FrameClient(port: live.port, sendsPreface: false)
        // Each byte in its own segment (TCP_NODELAY); the server may read them in any grouping.
        for byte in "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8 { try client.send([byte]) }
        try client.send(FrameClient.frame(type: Frame.settings, flags: 0, stream: 0, payload: []))
        try client.request("/health", stream: 1)
        let read = try await client.readFrames { $0.streamID == 1 && $0.isEndStream }
        #expect(read.frames.first?.type == Frame.settings, "the server answered in HTTP/2 framing")
        #expect(read.frames.filter { $0.streamID == 1 && $0.type == Frame.data }.flatMap(\.payload) == Array("ok".utf8))
        await live.stop()
    }
}
