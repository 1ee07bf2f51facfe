import Foundation
import Glibc
import Logging
import PhoenixRedis
import Testing

/// Where the tests find Redis, and per-test key prefixes on it.
///
/// `PHOENIX_TEST_REDIS` names the plain server and `PHOENIX_TEST_REDIS_AUTH` (password in
/// `PHOENIX_TEST_REDIS_PASSWORD`) one with `requirepass`, both `host:port` with loopback defaults.
/// `make test` starts both (Deploy/dev/test-services.sh); a server that does not answer fails
/// the tests that need it rather than skipping them.
enum TestRedis {
    static let environment = ProcessInfo.processInfo.environment
    static let address = environment["PHOENIX_TEST_REDIS"] ?? "127.0.0.1:6390"
    static let authAddress = environment["PHOENIX_TEST_REDIS_AUTH"] ?? "127.0.0.1:6391"
    static let password = environment["PHOENIX_TEST_REDIS_PASSWORD"] ?? "redis-test-pw"

    static let logger = Logger(label: "phoenix-dr.tests.redis") { _ in SwiftLogNoOpLogHandler() }

    /// A new connection to the plain server.
    static func connect(commandTimeout: Duration = .seconds(10)) async throws -> RedisConnection {
        signal(SIGPIPE, SIG_IGN)
        let endpoint = try RedisEndpoint(address: address, connectTimeout: .seconds(5), commandTimeout: commandTimeout)
        return try await RedisConnection.connect(endpoint, logger: logger)
    }

    /// A new connection to the password server as `default`.
    static func connectAuth() async throws -> RedisConnection {
        signal(SIGPIPE, SIG_IGN)
        let endpoint = try RedisEndpoint(address: authAddress, password: password, connectTimeout: .seconds(5))
        return try await RedisConnection.connect(endpoint, logger: logger)
    }

    /// A fresh `t_<uuid>` name.
    static func makeName() -> String {
        "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    }

    /// Runs `body` with a connection and a fresh key prefix; afterwards (also on failure) deletes
    /// every key under the prefix from a separate connection, since the test's own may be closed.
    static func withPrefix(_ body: (RedisConnection, String) async throws -> Void) async throws {
        let connection = try await connect()
        let prefix = makeName() + ":"
        do {
            try await body(connection, prefix)
        } catch {
            await connection.close()
            await deleteKeys(prefix: prefix)
            throw error
        }
        await connection.close()
        await deleteKeys(prefix: prefix)
    }

    private static func deleteKeys(prefix: String) async {
        guard let admin = try? await connect() else { return }
        var cursor = "0"
        repeat {
            guard let page = try? await admin.command("SCAN", cursor, "MATCH", prefix + "*", "COUNT", "1000").array,
                page.count == 2, let next = page[0].text, let keys = page[1].array
            else { break }
            if !keys.isEmpty { _ = try? await admin.command([Array("UNLINK".utf8)] + keys.compactMap(\.bytes)) }
            cursor = next
        } while cursor != "0"
        await admin.close()
    }
}

/// The `RedisError` that `body` throws, or nil (recorded as an issue) when it throws none.
func redisError(
    sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
) async -> RedisError? {
    do {
        try await body()
        Issue.record("expected a RedisError, got none", sourceLocation: sourceLocation)
    } catch let error as RedisError {
        return error
    } catch {
        Issue.record("expected a RedisError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

extension String {
    /// The UTF-8 bytes, for byte-argument commands.
    var bytes: [UInt8] { Array(utf8) }
}
