import HTTPTypes
import Logging
import PhoenixHTTP
import PhoenixHTTPClient
import PhoenixTesting
import PhoenixTLS
import Testing

/// Our TLS stream under load from an in-process client (PhoenixHTTPClient over libcurl): record
/// boundaries, partial writes and keep-alive. No tool is launched, so this suite also runs under
/// AddressSanitizer in CI.
@Suite struct TLSStreamTests {
    @Test func bodiesAcrossRecordBoundariesGoBothWaysOnOneKeptAliveConnection() async throws {
        let (live, _) = try TLSFixtures.server { $0.limits.maxBodyBytes = 4 << 20 }
        defer { Task { await live.stop() } }
        try HTTPClient.globalInitialize()
        var configuration = HTTPClientConfiguration()
        configuration.caBundlePath = TLSFixtures.files("default").chainFile
        let client = try HTTPClient(configuration: configuration, logger: TLSFixtures.quietLogger)
        do {
            let base = "https://localhost:\(live.port)"
            var connections = 0
            // 16 KiB is one TLS record: sizes around it, and one that takes many writes.
            for size in [0, 1, 16_383, 16_384, 16_385, 100_000, 3 << 20] {
                let response = try await client.execute(HTTPClientRequest(url: "\(base)/bytes?n=\(size)"))
                #expect(response.status == .ok)
                #expect(response.body.count == size && response.body.allSatisfy { $0 == 0x62 })
                connections += response.metrics.connectionsOpened
            }
            var generator = SystemRandomNumberGenerator()
            let sent = (0..<(2 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let echoed = try await client.execute(HTTPClientRequest(method: .post, url: "\(base)/echo", body: .bytes(sent)))
            #expect(echoed.status == .ok)
            #expect(echoed.body == sent)
            connections += echoed.metrics.connectionsOpened
            #expect(connections == 1, "every request after the first reuses the TLS connection")
        } catch {
            await client.shutdown()
            throw error
        }
        await client.shutdown()
    }
}
