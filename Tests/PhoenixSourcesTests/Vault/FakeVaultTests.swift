import Foundation
import HTTPTypes
import PhoenixHTTPClient
import PhoenixTesting
import Testing

/// The fake Vault itself answers as Vault's API documents: status codes, JSON error bodies,
/// tokens in either header, KV v2 round trips.
@Suite struct FakeVaultTests {
    static func call(_ harness: FakeVaultHarness, _ method: HTTPRequest.Method, _ path: String, token: String?, header: String = "X-Vault-Token",
                     body: String? = nil) async throws -> (Int, String) {
        var fields = HTTPFields()
        if let token { fields[HTTPField.Name(header)!] = header == "Authorization" ? "Bearer \(token)" : token }
        if body != nil { fields[.contentType] = "application/json" }
        let request = HTTPClientRequest(method: method, url: harness.server.baseURL + path, headerFields: fields,
                                        body: body.map { .bytes(Array($0.utf8)) } ?? .none)
        let response = try await harness.http.execute(request)
        return (response.status.code, String(decoding: response.body, as: UTF8.self))
    }

    @Test func fakeVaultAnswersHealthTokensAndKVAsVaultDoes() async throws {
        try await FakeVaultHarness.run { harness in
            let token = harness.vault.token
            let (healthy, health) = try await Self.call(harness, .get, "/v1/sys/health", token: nil)
            #expect(healthy == 200)
            #expect(health.contains(#""sealed":false"#) && health.contains(#""initialized":true"#))
            #expect(try await Self.call(harness, .get, "/v1/secret/data/app", token: nil) == (403, #"{"errors":["permission denied"]}"#))
            #expect(try await Self.call(harness, .get, "/v1/secret/data/app", token: "wrong").0 == 403)
            #expect(try await Self.call(harness, .post, "/v1/secret/data/app", token: token, body: #"{"data":{"k":"v"}}"#).0 == 200)
            let (read, body) = try await Self.call(harness, .get, "/v1/secret/data/app", token: token, header: "Authorization")
            #expect(read == 200)
            #expect(body.contains(#""data":{"k":"v"}"#), "\(body)")
            #expect(try await Self.call(harness, .get, "/v1/secret/data/none", token: token).0 == 404)

            #expect(try await Self.call(harness, .put, "/v1/sys/seal", token: token).0 == 204)
            #expect(try await Self.call(harness, .get, "/v1/sys/health", token: nil).0 == 503)
            #expect(try await Self.call(harness, .get, "/v1/secret/data/app", token: token) == (503, #"{"errors":["Vault is sealed"]}"#))
            #expect(try await Self.call(harness, .put, "/v1/sys/unseal", token: nil, body: #"{"key":"k"}"#).0 == 200)
            harness.vault.setMode(.standby)
            #expect(try await Self.call(harness, .get, "/v1/sys/health", token: nil).0 == 429)
            harness.vault.setMode(.uninitialized)
            #expect(try await Self.call(harness, .get, "/v1/sys/health", token: nil).0 == 501)
        }
    }

    @Test func fakeVaultRefusesATruncatedSnapshotWith400() async throws {
        try await FakeVaultHarness.run { harness in
            let snapshot = harness.vault.snapshotBytes()
            var fields = HTTPFields()
            fields[HTTPField.Name("X-Vault-Token")!] = harness.vault.token
            let request = HTTPClientRequest(method: .post, url: harness.server.baseURL + "/v1/sys/storage/raft/snapshot-force", headerFields: fields,
                                            body: .bytes(Array(snapshot.prefix(snapshot.count - 10))))
            let response = try await harness.http.execute(request)
            #expect(response.status.code == 400)
            #expect(String(decoding: response.body, as: UTF8.self).contains("unexpected EOF"))
            #expect(harness.vault.restores.isEmpty)
        }
    }
}
