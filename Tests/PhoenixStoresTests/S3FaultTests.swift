import PhoenixDomain
@testable import PhoenixStores
import PhoenixTesting
import Testing

/// Retries, through a proxy between our client and moto (signature checking on) that answers
/// 500 or 503 SlowDown itself, or cuts a connection in the middle of a body.
@Suite struct S3FaultTests {
    /// Runs `body` with a proxy in front of the checking moto and a store that goes through it.
    static func withProxiedStore(_ body: (S3Store, FaultProxy) async throws -> Void) async throws {
        let proxy = try FaultProxy(upstreamPort: S3Harness.port(of: S3Harness.checkedEndpoint))
        defer { proxy.stop() }
        try await S3Harness.withStore(endpoint: "http://127.0.0.1:\(proxy.port)") { store in
            try await body(store, proxy)
        }
    }

    static func isUploadPart(_ number: Int) -> @Sendable (FaultProxy.SeenRequest) -> Bool {
        { $0.method == "PUT" && $0.target.contains("partNumber=\(number)&") }
    }

    @Test func aPutObjectAnswered500IsSentAgain() async throws {
        try await Self.withProxiedStore { store, proxy in
            proxy.inject(.respond(status: 500, body: "<Error><Code>InternalError</Code></Error>")) { $0.method == "PUT" && $0.target.hasSuffix("/a/b.pdr") }
            try await ArtifactStoreContract.put(store, "a/b.pdr", [1, 2, 3])
            #expect(try await ArtifactStoreContract.readAll(store, "a/b.pdr") == [1, 2, 3])
            let puts = proxy.requests.filter { $0.method == "PUT" && $0.target.hasSuffix("/a/b.pdr") }
            #expect(puts.map(\.faulted) == [true, false])
        }
    }

    @Test func aPartAnsweredSlowDownIsSentAgainAndTheObjectIsWhole() async throws {
        try await Self.withProxiedStore { store, proxy in
            proxy.inject(.respond(status: 503, body: "<Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message></Error>"),
                         times: 2, when: Self.isUploadPart(2))
            let data = ArtifactStoreContract.bytes(12 * 1024 * 1024, seed: 3)
            try await ArtifactStoreContract.put(store, "big/x.pdr", data)
            #expect(try await ArtifactStoreContract.readAll(store, "big/x.pdr", pieces: 1 << 20) == data)
            #expect(proxy.requests.filter { Self.isUploadPart(2)($0) }.map(\.faulted) == [true, true, false])
        }
    }

    @Test func aDownloadCutInTheMiddleOfABodyResumesWithThatRange() async throws {
        try await Self.withProxiedStore { store, proxy in
            let data = ArtifactStoreContract.bytes(3 * 1024 * 1024 + 11, seed: 9)
            try await ArtifactStoreContract.put(store, "r/x.pdr", data)
            // The second range (1 MiB ranges) is cut 200 KiB into its body, twice.
            proxy.inject(.resetResponse(afterBytes: 200_000), times: 2) {
                $0.method == "GET" && $0.target.hasSuffix("/r/x.pdr")
            }
            #expect(try await ArtifactStoreContract.readAll(store, "r/x.pdr") == data)
            #expect(proxy.requests.filter { $0.method == "GET" && $0.faulted }.count == 2)
        }
    }

    @Test func partsThatKeepFailingFailTheUploadAndAbortIt() async throws {
        try await Self.withProxiedStore { store, proxy in
            proxy.inject(.resetBeforeResponse, times: 100, when: Self.isUploadPart(2))
            let upload = try await store.upload("big/y.pdr")
            let error = await #expect(throws: StoreError.self) {
                try await upload.write(ArtifactStoreContract.bytes(16 * 1024 * 1024))
                _ = try await upload.complete()
            }
            #expect(error?.code == .unavailable)
            #expect(proxy.requests.filter { Self.isUploadPart(2)($0) }.count == S3Harness.fastRetry.maxAttempts)
            #expect(proxy.requests.contains { $0.method == "DELETE" && $0.target.contains("uploadId=") }, "the upload is aborted")
            #expect(try await store.pendingUploads().isEmpty)
            #expect(try await store.head("big/y.pdr") == nil)
        }
    }

    @Test func anErrorInsideA200CompleteIsRetried() async throws {
        try await Self.withProxiedStore { store, proxy in
            proxy.inject(.respond(status: 200, body: "<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>")) {
                $0.method == "POST" && $0.target.contains("uploadId=")
            }
            let data = ArtifactStoreContract.bytes(6 * 1024 * 1024, seed: 5)
            try await ArtifactStoreContract.put(store, "c/z.pdr", data)
            #expect(try await store.head("c/z.pdr")?.size == Int64(data.count))
        }
    }
}
