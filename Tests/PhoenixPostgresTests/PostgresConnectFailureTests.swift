import Foundation
import PhoenixPostgres
import Testing

/// Connection failures: none of these need the shared server, except the unknown-role case.
struct PostgresConnectFailureTests {
    @Test func aClosedPortFailsWithConnectionFailedAtOnce() async throws {
        let listener = try LoopbackListener(listening: false)
        let port = listener.port
        listener.close()
        let start = ContinuousClock.now
        let error = await postgresError {
            _ = try await PostgresConnection.connect(
                "postgresql://postgres:hunter2@127.0.0.1:\(port)/postgres", connectTimeout: .seconds(30),
                logger: TestDatabase.logger)
        }
        // Well under the 30 s connect timeout: a refused port must not wait for it (generous for
        // a loaded CI machine; this checks "does not wait", not speed).
        #expect(ContinuousClock.now - start < .seconds(8))
        #expect(error?.code == .connectionFailed)
        #expect(error?.description.contains("hunter2") == false)
        #expect(error?.debugDescription.contains("hunter2") == false)
        #expect(error?.debugDescription.contains("refused") == true)
    }

    @Test func aServerThatNeverAnswersHitsTheConnectTimeout() async throws {
        let listener = try LoopbackListener(listening: true)
        let start = ContinuousClock.now
        let error = await postgresError {
            _ = try await PostgresConnection.connect(
                "postgresql://postgres@127.0.0.1:\(listener.port)/postgres", connectTimeout: .milliseconds(300),
                logger: TestDatabase.logger)
        }
        let elapsed = ContinuousClock.now - start
        #expect(error?.code == .connectionFailed)
        #expect(elapsed >= .milliseconds(300))
        #expect(elapsed < .seconds(15), "the attempt must end at its timeout, not hang")
        withExtendedLifetime(listener) {}
    }

    @Test func cancellingAConnectAttemptStopsItAtOnce() async throws {
        let listener = try LoopbackListener(listening: true)
        let url = "postgresql://postgres@127.0.0.1:\(listener.port)/postgres"
        let attempt = Task { try await PostgresConnection.connect(url, connectTimeout: .seconds(30), logger: TestDatabase.logger) }
        try await Task.sleep(for: .milliseconds(50))
        let start = ContinuousClock.now
        attempt.cancel()
        let result = await attempt.result
        #expect(ContinuousClock.now - start < .seconds(8))
        #expect(result.failureCode == .cancelled)
        withExtendedLifetime(listener) {}
    }

    @Test(.enabled("needs PostgreSQL (PHOENIX_TEST_POSTGRES)") { await TestDatabase.shouldRun() })
    func anUnknownRoleFailsWithConnectionFailed() async throws {
        var components = try #require(URLComponents(string: TestDatabase.url))
        components.user = "no_such_role_\(UUID().uuidString.prefix(8).lowercased())"
        let error = await postgresError {
            _ = try await PostgresConnection.connect(try #require(components.string), logger: TestDatabase.logger)
        }
        #expect(error?.code == .connectionFailed)
        #expect(error?.debugDescription.contains("does not exist") == true)
    }
}

extension Result {
    /// The failure's `PostgresError.Code`, when the result is a PostgresError failure.
    fileprivate var failureCode: PostgresError.Code? {
        guard case .failure(let error) = self else { return nil }
        return (error as? PostgresError)?.code
    }
}
