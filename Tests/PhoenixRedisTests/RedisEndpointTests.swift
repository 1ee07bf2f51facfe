import PhoenixRedis
import Testing

struct RedisEndpointTests {
    @Test func parsesHostAndPort() throws {
        let endpoint = try RedisEndpoint(address: "redis.internal:6379")
        #expect(endpoint.host == "redis.internal")
        #expect(endpoint.port == 6379)
        #expect(endpoint.connectTimeout == .seconds(5))
        #expect(endpoint.commandTimeout == .seconds(30))
    }

    @Test func parsesABracketedIPv6Address() throws {
        let endpoint = try RedisEndpoint(address: "[::1]:6380")
        #expect(endpoint.host == "::1")
        #expect(endpoint.port == 6380)
    }

    @Test(arguments: [
        "localhost", "::1:6379", "[::1]6379", "[::1", ":6379",
        "host:", "host:0", "host:65536", "host:+1", "host: 1", "a b:1",
    ])
    func rejectsAMalformedAddress(_ address: String) {
        #expect(throws: RedisError.self) { try RedisEndpoint(address: address) }
    }

    @Test func descriptionHidesThePassword() throws {
        let endpoint = try RedisEndpoint(address: "10.0.0.5:6379", username: "backup", password: "s3cret-pw")
        #expect(!endpoint.description.contains("s3cret-pw"))
        #expect(endpoint.description == "redis://backup:***@10.0.0.5:6379")
        #expect(try RedisEndpoint(address: "[::1]:1", password: "pw").description == "redis://:***@[::1]:1")
        #expect(!"\(endpoint)".contains("s3cret-pw"))
    }

    @Test func anInvalidAddressIsAConnectFailure() {
        do {
            _ = try RedisEndpoint(address: "no-port")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .connectFailed)
        }
    }
}
