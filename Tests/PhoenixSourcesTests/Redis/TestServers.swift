import Foundation

/// The servers a test starts, stopped when its body ends, passed or failed. Awaited, unlike a
/// `defer { Task { … } }`, which the test process may exit before running, leaving servers behind.
final class TestServers: @unchecked Sendable {
    private var stops: [@Sendable () async -> Void] = []

    static func with(_ body: (TestServers) async throws -> Void) async throws {
        let servers = TestServers()
        do {
            try await body(servers)
        } catch {
            await servers.stopAll()
            throw error
        }
        await servers.stopAll()
    }

    func redis(password: String? = nil, extraArguments: String = "") async throws -> RedisInstance {
        let instance = try await RedisInstance.start(password: password, extraArguments: extraArguments)
        stops.append { await instance.stop() }
        return instance
    }

    func cluster() async throws -> RedisClusterInstance {
        let instance = try await RedisClusterInstance.start()
        stops.append { await instance.stop() }
        return instance
    }

    /// The test-services cluster when there is one (not stopped), else one of our own.
    func sharedCluster() async throws -> RedisClusterInstance {
        if let address = ProcessInfo.processInfo.environment["PHOENIX_TEST_REDIS_CLUSTER"] {
            return RedisClusterInstance(address: address, pids: [], directory: nil)
        }
        return try await cluster()
    }

    /// Runs `stop` when the test's body ends, with the servers started here.
    func onStop(_ stop: @escaping @Sendable () async -> Void) {
        stops.append(stop)
    }

    private func stopAll() async {
        for stop in stops.reversed() { await stop() }
        stops = []
    }
}
