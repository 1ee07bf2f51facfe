import Foundation
import PhoenixAWS
import Testing

/// The chain and the cache over the real providers.
@Suite struct CredentialsProviderCompositionTests {
    @Test func cacheRefetchesTemporaryCredentialsOnlyNearExpiry() async throws {
        let transport = ScriptedMetadataTransport.imds() // expires 2026-01-02T09:04:05Z
        let clock = ManualWallClock(Fixture.date) // 03:04:05, six hours before
        let cache = CachingCredentialsProvider(wrapping: InstanceMetadataCredentialsProvider(transport: transport), now: { clock.now() })
        _ = try await cache.credentials()
        _ = try await cache.credentials()
        #expect(transport.requests.count == 3)
        clock.advance(by: 6 * 3600 - 301)
        _ = try await cache.credentials()
        #expect(transport.requests.count == 3)
        clock.advance(by: 2)
        _ = try await cache.credentials()
        #expect(transport.requests.count == 6)
        cache.invalidate()
        _ = try await cache.credentials()
        #expect(transport.requests.count == 9)
    }

    @Test func cacheIsSafeToShareBetweenTasks() async throws {
        let transport = ScriptedMetadataTransport.imds()
        let cache = CachingCredentialsProvider(wrapping: InstanceMetadataCredentialsProvider(transport: transport), now: { Fixture.date })
        let ids = try await withThrowingTaskGroup(of: AWSAccessKeyID.self) { group in
            for _ in 0..<50 { group.addTask { try await cache.credentials().accessKeyID } }
            return try await group.reduce(into: Set<AWSAccessKeyID>()) { $0.insert($1) }
        }
        #expect(ids == [AWSAccessKeyID("ASIAEXAMPLE")])
        let refreshes = transport.requests.count / 3
        #expect(refreshes >= 1 && refreshes <= 50)
    }

    @Test func chainFallsThroughToTheFileWhenTheEnvironmentHasNothing() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        try home.write(".aws/credentials", "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = s\n")
        let environment = ["HOME": home.path]
        let chain = AWSCredentialsProviderChain([
            EnvironmentCredentialsProvider(environment: environment), SharedCredentialsFileProvider(environment: environment),
        ])
        #expect(try await chain.credentials().accessKeyID == AWSAccessKeyID("AKIDFILE"))
    }

    @Test func chainStopsAtAHalfConfiguredSource() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        try home.write(".aws/credentials", "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = s\n")
        let environment = ["HOME": home.path, "AWS_ACCESS_KEY_ID": "AKIDENV"]
        let chain = AWSCredentialsProviderChain([
            EnvironmentCredentialsProvider(environment: environment), SharedCredentialsFileProvider(environment: environment),
        ])
        let error = await #expect(throws: AWSError.self) { try await chain.credentials() }
        #expect(error?.code == .missingCredentialKey)
    }

    @Test func anEmptyHandedChainNamesEverySource() async {
        let chain = AWSCredentialsProviderChain([
            EnvironmentCredentialsProvider(environment: [:]), SharedCredentialsFileProvider(environment: [:]),
            InstanceMetadataCredentialsProvider(transport: ScriptedMetadataTransport { _ in .init(status: 404, body: []) }),
        ])
        let error = await #expect(throws: AWSError.self) { try await chain.credentials() }
        #expect(error?.code == .credentialsNotFound)
        #expect(error?.description == "no AWS credentials found: tried environment, shared-credentials-file, instance-metadata")
    }
}
