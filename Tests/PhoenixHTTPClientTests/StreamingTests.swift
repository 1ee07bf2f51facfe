import HTTPTypes
import PhoenixHTTPClient
import PhoenixTesting
import Testing

/// Large bodies in both directions: memory is proven bounded by the bytes the client held at
/// once (its peak buffers), never by timing.
@Suite struct StreamingTests {
    static let total = 200 * ClientHarness.mebibyte
    /// 64 KiB of a pattern with period 251, so a shifted or dropped piece cannot match.
    static let template = (0..<65_536).map { UInt8($0 % 251) }

    @Test func twoHundredMiBGoUpAndComeBackThroughEchoInBoundedMemory() async throws {
        let total = Self.total
        let template = Self.template
        try await ClientHarness.withServerAndClient(maxBodyBytes: total) { server, client in
            let request = HTTPClientRequest(method: .put, url: server.baseURL + "/echo", body: .stream(length: Int64(total)) { writer in
                for _ in 0..<(total / template.count) { try await writer.write(template) }
            })
            let (received, isIntact, metrics) = try await client.execute(request) { head, body in
                #expect(head.status == .ok)
                var position = 0
                var isIntact = true
                for try await piece in body {
                    isIntact = isIntact && Pattern.matches(piece, at: position, template: template)
                    position += piece.count
                }
                return (position, isIntact, body.metrics)
            }
            #expect(received == total)
            #expect(isIntact)
            let measured = try #require(metrics)
            #expect(measured.bytesSent == Int64(total))
            // The producer waits while curl has not taken its pieces: two pieces at most.
            #expect(measured.peakSendBufferBytes <= 2 * template.count)
            #expect(measured.peakReceiveBufferBytes <= client.configuration.streamBufferBytes)
        }
    }

    @Test func twoHundredMiBDownloadPausesCurlWhileTheConsumerIsBehind() async throws {
        let total = Self.total
        try await ClientHarness.withServerAndClient { server, client in
            let limit = client.configuration.streamBufferBytes
            let (received, metrics) = try await client.execute(HTTPClientRequest(url: server.baseURL + "/bytes?n=\(total)")) { _, body in
                // Not reading yet: the buffer fills up to the limit and stays there (curl paused).
                #expect(await eventually { body.bufferedByteCount > limit / 2 })
                #expect(body.bufferedByteCount <= limit)
                var received = 0
                for try await piece in body {
                    #expect(Pattern.isFilled(piece, with: 0x62))
                    received += piece.count
                }
                return (received, body.metrics)
            }
            #expect(received == total)
            let measured = try #require(metrics)
            #expect(measured.bytesReceived == Int64(total))
            #expect(measured.peakReceiveBufferBytes <= limit)
        }
    }

    @Test func aPausedSlowConsumerIsNotMistakenForAStalledPeer() async throws {
        let stall = HTTPClientTimeouts.StallLimit(bytesPerSecond: 1, window: .milliseconds(250))
        try await ClientHarness.withServerAndClient(configure: { $0.streamBufferBytes = 64 * 1024 }) { server, client in
            let request = HTTPClientRequest(url: server.baseURL + "/bytes?n=\(4 * ClientHarness.mebibyte)", timeouts: HTTPClientTimeouts(stall: stall))
            let received = try await client.execute(request) { _, body in
                #expect(await eventually { body.bufferedByteCount > 32 * 1024 })
                // A consumer busy for several stall windows while curl is paused.
                try await Task.sleep(for: .seconds(1))
                var received = 0
                for try await piece in body { received += piece.count }
                return received
            }
            #expect(received == 4 * ClientHarness.mebibyte)
        }
    }
}
