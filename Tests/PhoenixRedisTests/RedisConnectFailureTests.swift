import PhoenixRedis
import Testing

/// Failures before a session exists; none needs a server.
struct RedisConnectFailureTests {
    @Test func aClosedPortFailsWithConnectFailed() async throws {
        let port = try ClosedPort.make()
        let endpoint = try RedisEndpoint(address: "127.0.0.1:\(port)", connectTimeout: .seconds(30))
        // A refused connect returns at once; were it mistaken for a timeout, 30 s would show.
        let error = await redisError { _ = try await RedisConnection.connect(endpoint, logger: TestRedis.logger) }
        #expect(error?.code == .connectFailed)
        #expect(error?.debugDescription.contains("refused") == true)
    }

    @Test func anAlreadyCancelledTaskDoesNotConnect() async throws {
        let endpoint = try RedisEndpoint(address: TestRedis.address)
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await RedisConnection.connect(endpoint, logger: TestRedis.logger)
        }
        #expect(await redisError { _ = try await task.value }?.code == .cancelled)
    }
}
