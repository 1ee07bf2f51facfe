import HTTPTypes
import PhoenixHTTPClient
import PhoenixTesting
import Testing

/// TLS is verified by default; a CA bundle override trusts a private CA.
@Suite struct TLSTests {
    @Test func aSelfSignedServerIsRejectedByDefaultAndTrustedThroughACABundle() async throws {
        try await TLSPeer.with { peer in
            let url = "https://127.0.0.1:\(peer.port)/"
            try await ClientHarness.withClient { client in
                let error = await #expect(throws: HTTPClientError.self) { try await client.execute(HTTPClientRequest(url: url)) }
                #expect(error?.code == .tls)
                #expect(error?.curlCodeName == "CURLE_PEER_FAILED_VERIFICATION")
            }
            try await ClientHarness.withClient({ $0.caBundlePath = peer.certificatePath }) { client in
                let response = try await client.execute(HTTPClientRequest(url: url))
                #expect(response.status == .ok)
            }
        }
    }

    @Test func aPeerThatIsNotTLSFailsTheHandshake() async throws {
        let peer = try RawPeer(.garbage)
        defer { peer.stop() }
        try await ClientHarness.withClient { client in
            let error = await #expect(throws: HTTPClientError.self) {
                try await client.execute(HTTPClientRequest(url: "https://127.0.0.1:\(peer.port)/"))
            }
            #expect(error?.code == .tls)
        }
    }
}
