import PhoenixDomain
@testable import PhoenixStores
import PhoenixTesting
import Testing

/// What an S3 endpoint may answer that is not what S3 promises: each is a clear error, never a
/// wrong listing, a short object or an upload left open. The proxy answers in moto's place.
@Suite struct S3MalformedAnswerTests {
    static let withProxiedStore = S3FaultTests.withProxiedStore

    static func isList(_ request: FaultProxy.SeenRequest) -> Bool {
        request.method == "GET" && request.target.contains("list-type=2")
    }

    @Test func aListingThatIsNotXMLIsAnError() async throws {
        try await Self.withProxiedStore { store, proxy in
            proxy.inject(.respond(status: 200, body: "<html>captive portal</html"), when: Self.isList)
            let error = await #expect(throws: StoreError.self) { try await store.list(prefix: "") }
            #expect(error?.message.contains("ListBucketResult") == true)
        }
    }

    @Test func aTruncatedListingWithoutATokenIsAnError() async throws {
        try await Self.withProxiedStore { store, proxy in
            proxy.inject(.respond(status: 200, body: "<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>"), when: Self.isList)
            let error = await #expect(throws: StoreError.self) { try await store.list(prefix: "") }
            #expect(error?.message.contains("no continuation token") == true)
        }
    }

    @Test func aRepeatedContinuationTokenEndsTheListing() async throws {
        try await Self.withProxiedStore { store, proxy in
            let page = "<ListBucketResult><IsTruncated>true</IsTruncated><NextContinuationToken>same</NextContinuationToken></ListBucketResult>"
            proxy.inject(.respond(status: 200, body: page), times: 5, when: Self.isList)
            let error = await #expect(throws: StoreError.self) { try await store.list(prefix: "") }
            #expect(error?.message.contains("repeated a continuation token") == true)
        }
    }

    @Test func aMultipartUploadWithoutAnUploadIdFailsAndLeavesNoObject() async throws {
        try await Self.withProxiedStore { store, proxy in
            proxy.inject(.respond(status: 200, body: "<InitiateMultipartUploadResult></InitiateMultipartUploadResult>")) {
                $0.method == "POST" && $0.target.hasSuffix("?uploads")
            }
            let upload = try await store.upload("m/x.pdr")
            let error = await #expect(throws: StoreError.self) { try await upload.write(ArtifactStoreContract.bytes(6 << 20)) }
            #expect(error?.message.contains("without an UploadId") == true)
            #expect(try await store.head("m/x.pdr") == nil)
        }
    }

    @Test func aPartAcceptedWithoutAnETagFailsAndAbortsTheUpload() async throws {
        try await Self.withProxiedStore { store, proxy in
            proxy.inject(.respond(status: 200, body: ""), when: S3FaultTests.isUploadPart(1))
            let upload = try await store.upload("m/y.pdr")
            let error = await #expect(throws: StoreError.self) {
                try await upload.write(ArtifactStoreContract.bytes(11 << 20))
                _ = try await upload.complete()
            }
            #expect(error?.message.contains("without an ETag") == true)
            #expect(try await store.pendingUploads().isEmpty)
        }
    }

    @Test func aShortRangeIsAnErrorAndLaterReadsKeepFailing() async throws {
        try await Self.withProxiedStore { store, proxy in
            try await ArtifactStoreContract.put(store, "r/short.pdr", ArtifactStoreContract.bytes(3 << 20))
            proxy.inject(.respond(status: 206, body: "0123456789")) { $0.method == "GET" && $0.target.hasSuffix("/r/short.pdr") }
            let download = try await store.download("r/short.pdr")
            let error = await #expect(throws: StoreError.self) { _ = try await download.read(maxCount: 1 << 20) }
            #expect(error?.message.contains("returned 10 bytes") == true)
            await #expect(throws: StoreError.self, "a failed range is never skipped") { _ = try await download.read(maxCount: 1 << 20) }
            await download.close()
        }
    }

    @Test func anObjectReplacedWhileReadIsAnError() async throws {
        try await Self.withProxiedStore { store, proxy in
            try await ArtifactStoreContract.put(store, "r/v.pdr", ArtifactStoreContract.bytes(3 << 20))
            let download = try await store.download("r/v.pdr")
            _ = try await download.read(maxCount: 1 << 20)  // the first range; the second is prefetched
            await download.close()
            let again = try await store.download("r/v.pdr")
            proxy.inject(.respond(status: 412, body: "<Error><Code>PreconditionFailed</Code></Error>")) {
                $0.method == "GET" && $0.target.hasSuffix("/r/v.pdr")
            }
            let error = await #expect(throws: StoreError.self) { _ = try await again.read(maxCount: 1 << 20) }
            #expect(error?.message.contains("changed while it was read") == true)
            await again.close()
        }
    }

    @Test func keysThatDeleteObjectsReportsAsFailedAreAnError() async throws {
        try await Self.withProxiedStore { store, proxy in
            proxy.inject(.respond(status: 200, body: "<DeleteResult><Error><Key>a/b.pdr</Key><Code>AccessDenied</Code></Error></DeleteResult>")) {
                $0.method == "POST" && $0.target.hasSuffix("?delete")
            }
            let error = await #expect(throws: StoreError.self) { try await store.delete(["a/b.pdr", "a/c.pdr"]) }
            #expect(error?.message.contains("1 of 2 keys") == true)
            #expect(error?.message.contains("AccessDenied") == true)
        }
    }

    @Test func aLongMessageWithControlCharactersIsCutAndCleaned() async throws {
        try await Self.withProxiedStore { store, proxy in
            let noise = String(repeating: "x\u{07}\u{1B}[2J", count: 3000)
            proxy.inject(.respond(status: 403, body: "<Error><Code>AccessDenied</Code><Message>\(noise)</Message></Error>"))
            let error = await #expect(throws: StoreError.self) { try await ArtifactStoreContract.put(store, "a/b.pdr", [1]) }
            let message = try #require(error?.message)
            #expect(message.count < 400)
            #expect(!message.unicodeScalars.contains { $0.properties.generalCategory == .control })
            #expect(error?.code == .denied)
        }
    }

    @Test func aCancelledUploadIsStillAborted() async throws {
        let patient = S3RetryPolicy(maxAttempts: 10, baseDelay: .seconds(30), maxDelay: .seconds(30))
        let proxy = try FaultProxy(upstreamPort: S3Harness.port(of: S3Harness.checkedEndpoint))
        defer { proxy.stop() }
        try await S3Harness.withStore(endpoint: "http://127.0.0.1:\(proxy.port)", retry: patient) { store in
            // Part 2 keeps failing. With two parts in flight, part 4 needs part 2's slot, so the
            // write (26 MiB: five parts of 5 MiB) waits on part 2's long backoff until cancelled.
            proxy.inject(.resetBeforeResponse, times: 100, when: S3FaultTests.isUploadPart(2))
            let upload = try await store.upload("c/cancelled.pdr")
            let writer = Task { try await upload.write(ArtifactStoreContract.bytes(26 << 20)) }
            #expect(await eventually { proxy.requests.contains { S3FaultTests.isUploadPart(2)($0) } })
            writer.cancel()
            let result = await writer.result
            #expect(throws: (any Error).self, "the write was waiting on part 2, so the cancellation ends it") { try result.get() }
            #expect(await eventually { proxy.requests.contains { $0.method == "DELETE" && $0.target.contains("uploadId=") } }, "the abort went out")
            #expect(await eventually { (try? await store.pendingUploads().isEmpty) == true })
        }
    }
}
