import FoundationEssentials
import HTTPTypes
import PhoenixAWS
import PhoenixDomain
import PhoenixHTTPClient
@testable import PhoenixStores
import Testing

/// The store contract and S3's own behaviour against moto with signature checking on, so every
/// request here also proves our SigV4 signer (TEST-COMPONENTS.md §4.3).
@Suite struct S3StoreTests {
    @Test(arguments: ArtifactStoreContract.allCases)
    func contract(_ contractCase: ArtifactStoreContract.Case) async throws {
        // moto's signature check wrongly refuses a query value that needs percent-encoding
        // (`prefix=redis%2F`, TEST-COMPONENTS.md §4.3), so listings with a prefix run against the
        // moto that checks nothing; every other case runs with checking on.
        let endpoint = contractCase.listsUnderAPrefix ? S3Harness.uncheckedEndpoint : S3Harness.checkedEndpoint
        try await S3Harness.withStore(endpoint: endpoint) { store in
            try await contractCase.run { store }
        }
    }

    @Test func aLargeObjectGoesUpInPartsAndComesBackInRanges() async throws {
        try await S3Harness.withStore { store in
            let data = ArtifactStoreContract.bytes(23 * 1024 * 1024 + 5)
            let upload = try await store.upload("redis/2026/11/27/big.pdr")
            var offset = 0
            while offset < data.count {
                let end = min(data.count, offset + 1_048_593)  // an artifact chunk's size, unaligned to parts
                try await upload.write(Array(data[offset..<end]))
                offset = end
            }
            // Five 5 MiB parts have been started before the object is complete, and nothing is visible.
            #expect(try await store.head("redis/2026/11/27/big.pdr") == nil)
            #expect(try await store.pendingUploads() == ["redis/2026/11/27/big.pdr"])
            let stored = try await upload.complete()
            #expect(stored.size == Int64(data.count))
            #expect(try await store.pendingUploads().isEmpty)
            #expect(try await store.head("redis/2026/11/27/big.pdr")?.size == Int64(data.count))
            #expect(try await ArtifactStoreContract.readAll(store, "redis/2026/11/27/big.pdr", pieces: 300_000) == data)
        }
    }

    @Test func anAbortedMultipartUploadLeavesNoPartsAndNoObject() async throws {
        try await S3Harness.withStore { store in
            let upload = try await store.upload("redis/x.pdr")
            try await upload.write(ArtifactStoreContract.bytes(12 * 1024 * 1024))
            #expect(try await store.pendingUploads() == ["redis/x.pdr"])
            await upload.abort()
            #expect(try await store.pendingUploads().isEmpty)
            #expect(try await store.head("redis/x.pdr") == nil)
        }
    }

    @Test func anEmptyObjectIsStoredAndReadBack() async throws {
        try await S3Harness.withStore { store in
            try await ArtifactStoreContract.put(store, "a/empty.pdr", [])
            #expect(try await store.head("a/empty.pdr")?.size == 0)
            #expect(try await ArtifactStoreContract.readAll(store, "a/empty.pdr").isEmpty)
        }
    }

    @Test func listingFollowsContinuationTokens() async throws {
        var tuning = S3Store.Tuning(partSize: 5 << 20)
        tuning.listPageSize = 2
        try await S3Harness.withStore(tuning: tuning) { store in
            let keys = (0..<7).map { "k/\($0).pdr" }
            for key in keys.reversed() { try await ArtifactStoreContract.put(store, key, [1]) }
            #expect(try await store.list(prefix: "").map(\.key) == keys)
        }
    }

    @Test func objectsAreSentWithTheConfiguredServerSideEncryption() async throws {
        try await S3Harness.withStore(encryption: "AES256") { store in
            try await ArtifactStoreContract.put(store, "a/small.pdr", [1, 2, 3])
            let upload = try await store.upload("a/large.pdr")
            try await upload.write(ArtifactStoreContract.bytes(6 * 1024 * 1024))
            _ = try await upload.complete()
            for key in ["a/small.pdr", "a/large.pdr"] {
                let response = try await store.client.send(.init(operation: "HeadObject", method: .head, key: key))
                #expect(response.headerFields[.init("x-amz-server-side-encryption")!] == "AES256", "\(key)")
            }
        }
    }

    @Test func aWrongSecretIsRefusedAsDenied() async throws {
        let wrong = try AWSCredentials(accessKeyID: try S3Harness.credentials().accessKeyID.rawValue, secretAccessKey: AWSSecret("not-the-secret"))
        try await S3Harness.withStore(credentials: wrong) { store in
            let error = await #expect(throws: StoreError.self) { try await ArtifactStoreContract.put(store, "a/b.pdr", [1]) }
            #expect(error?.code == .denied)
            #expect(error?.message.contains("SignatureDoesNotMatch") == true)
            #expect(error?.message.contains("not-the-secret") == false)
        }
    }

    @Test func badBucketNamesAndEndpointsAreRefusedWhenTheStoreIsBuilt() throws {
        let credentials = StaticCredentialsProvider(try AWSCredentials(accessKeyID: "AKID", secretAccessKey: AWSSecret("s")))
        try HTTPClient.globalInitialize()
        let http = try PhoenixHTTPClient.HTTPClient(logger: S3Harness.quietLogger)
        defer { Task { await http.shutdown() } }
        for (bucket, endpoint) in [("B", nil), ("ab", nil), ("-abc", nil), ("ok-bucket", "ftp://x"), ("ok-bucket", "http://h/path"), ("ok-bucket", "not a url")] {
            #expect(throws: StoreError.self, "\(bucket) \(endpoint ?? "")") {
                try S3Store(name: "s3", settings: S3Settings(bucket: bucket, region: "us-east-1", endpoint: endpoint),
                            credentials: credentials, http: http, logger: S3Harness.quietLogger)
            }
        }
    }
}

/// The seed's lifecycle rules act only on retired objects.
@Suite struct S3LifecycleTests {
    @Test func lifecycleRulesExpireOnlyRetiredObjectsAndRetireMovesObjectsThere() async throws {
        let rules = [LifecycleRule(prefix: "redis/", expirationDays: 30), LifecycleRule(prefix: "metrics/", expirationDays: 7)]
        try await S3Harness.withStore(lifecycleRules: rules) { store in
            try await store.applyLifecycle(rules)
            let response = try await store.client.send(.init(operation: "GetBucketLifecycleConfiguration", method: .get, key: nil,
                                                             query: [.init(name: "lifecycle", value: nil)]))
            let document = try #require(XMLElementTree.parse(response.body))
            let prefixes = document.children("Rule").compactMap { $0.child("Filter")?.value("Prefix") ?? $0.value("Prefix") }
            #expect(Set(prefixes) == ["expired/redis/", "expired/metrics/", ""])
            for rule in document.children("Rule") where rule.child("Expiration") != nil {
                #expect(rule.child("Filter")?.value("Prefix")?.hasPrefix("expired/") == true, "an expiry outside expired/ could delete a kept backup")
            }

            try await ArtifactStoreContract.put(store, "redis/2026/11/27/a.pdr", [1, 2])
            try await store.retire(["redis/2026/11/27/a.pdr", "redis/never-existed.pdr"])
            #expect(try await store.head("redis/2026/11/27/a.pdr") == nil)
            #expect(try await store.head("expired/redis/2026/11/27/a.pdr")?.size == 2)
        }
    }

    @Test func withoutLifecycleRulesRetireDeletes() async throws {
        try await S3Harness.withStore { store in
            try await ArtifactStoreContract.put(store, "redis/a.pdr", [1])
            try await store.retire(["redis/a.pdr"])
            #expect(try await store.list(prefix: "").isEmpty)
        }
    }
}

/// Retiring, the multipart copy for objects above CopyObject's limit, and keys that need escaping.
@Suite struct S3RetireTests {
    @Test func objectsAboveTheSingleCopyLimitAreCopiedInParts() async throws {
        var tuning = S3Store.Tuning(partSize: 5 << 20)
        tuning.singleCopyLimit = 6 << 20
        tuning.copyPartSize = 5 << 20
        let rules = [LifecycleRule(prefix: "redis/", expirationDays: 30)]
        try await S3Harness.withStore(lifecycleRules: rules, tuning: tuning) { store in
            try await store.applyLifecycle(rules)
            let data = ArtifactStoreContract.bytes(12 << 20 + 3, seed: 11)
            try await ArtifactStoreContract.put(store, "redis/big.pdr", data)
            try await store.retire(["redis/big.pdr"])
            #expect(try await store.head("redis/big.pdr") == nil)
            #expect(try await ArtifactStoreContract.readAll(store, "expired/redis/big.pdr", pieces: 1 << 20) == data)
            #expect(try await store.pendingUploads().isEmpty)
        }
    }

    @Test func keysOutsideEveryRuleOrBeforeTheRulesAreOnTheBucketAreDeleted() async throws {
        let rules = [LifecycleRule(prefix: "redis/", expirationDays: 30)]
        try await S3Harness.withStore(lifecycleRules: rules) { store in
            try await ArtifactStoreContract.put(store, "redis/early.pdr", [1])
            try await store.retire(["redis/early.pdr"])  // the rules are not applied yet
            try await store.applyLifecycle(rules)
            try await ArtifactStoreContract.put(store, "git/a.pdr", [2])
            try await store.retire(["git/a.pdr"])
            #expect(try await store.list(prefix: "").isEmpty, "nothing would ever expire these under expired/")
        }
    }

    @Test func keysThatNeedEscapingSurviveCopyListAndDelete() async throws {
        // moto's signature check refuses such keys wrongly (TEST-COMPONENTS.md §4.3): unchecked moto.
        let rules = [LifecycleRule(prefix: "odd/", expirationDays: 30)]
        try await S3Harness.withStore(endpoint: S3Harness.uncheckedEndpoint, lifecycleRules: rules) { store in
            try await store.applyLifecycle(rules)
            let keys = ["odd/a b&c<d>'e\".pdr", "odd/plus+equals=colon:é~.pdr"]
            for key in keys { try await ArtifactStoreContract.put(store, key, Array(key.utf8)) }
            #expect(try await store.list(prefix: "odd/").map(\.key) == keys.sorted())
            try await store.retire(keys)
            #expect(try await store.list(prefix: "expired/").map(\.key) == keys.sorted().map { "expired/" + $0 })
            for key in keys { #expect(try await ArtifactStoreContract.readAll(store, "expired/" + key) == Array(key.utf8)) }
            try await store.delete(keys.map { "expired/" + $0 })
            #expect(try await store.list(prefix: "").isEmpty)
        }
    }
}
