import Foundation
import Logging
import PhoenixPostgres
import Testing

/// Where the tests find PostgreSQL, and per-test schemas on it.
///
/// `PHOENIX_TEST_POSTGRES` (a libpq URL, set by `make test`) names the server, with the loopback
/// default below. When it does not answer, the suites are skipped, unless
/// `PHOENIX_REQUIRE_SERVICES=1` (CI), when they run and fail.
enum TestDatabase {
    static let url =
        ProcessInfo.processInfo.environment["PHOENIX_TEST_POSTGRES"] ?? "postgresql://postgres@127.0.0.1:5433/postgres"

    static let isRequired = ProcessInfo.processInfo.environment["PHOENIX_REQUIRE_SERVICES"] == "1"

    static let logger = Logger(label: "phoenix-dr.tests.postgres") { _ in SwiftLogNoOpLogHandler() }

    /// One connection attempt, shared by every suite's `.enabled(if:)` trait.
    private static let probe = Task<Bool, Never> {
        guard let connection = try? await PostgresConnection.connect(url, connectTimeout: .seconds(2), logger: logger)
        else { return false }
        await connection.close()
        return true
    }

    /// True when the tests should run: the server answers, or services are required.
    static func shouldRun() async -> Bool {
        if isRequired { return true }
        return await probe.value
    }

    /// A new connection to the test server, with a short timeout.
    static func connect(logger: Logger = logger) async throws -> PostgresConnection {
        try await PostgresConnection.connect(url, connectTimeout: .seconds(5), logger: logger)
    }

    /// A fresh `t_<uuid>` schema name.
    static func makeSchemaName() -> String {
        "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    }

    /// Runs `body` with a connection whose `search_path` is a new schema, dropped afterwards
    /// (also on failure, from a separate connection, since the test's own may be broken).
    static func withSchema(_ body: (PostgresConnection, String) async throws -> Void) async throws {
        let connection = try await connect()
        let schema = makeSchemaName()
        try await connection.execute("CREATE SCHEMA \(schema)")
        do {
            try await connection.execute("SET search_path TO \(schema)")
            try await body(connection, schema)
        } catch {
            await connection.close()
            await dropSchema(schema)
            throw error
        }
        await connection.close()
        await dropSchema(schema)
    }

    static func dropSchema(_ schema: String) async {
        guard let admin = try? await connect() else { return }
        _ = try? await admin.execute("DROP SCHEMA IF EXISTS \(schema) CASCADE")
        await admin.close()
    }
}

/// The `PostgresError` that `body` throws, or nil (recorded as an issue) when it throws none.
func postgresError(
    sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
) async -> PostgresError? {
    do {
        try await body()
        Issue.record("expected a PostgresError, got none", sourceLocation: sourceLocation)
    } catch let error as PostgresError {
        return error
    } catch {
        Issue.record("expected a PostgresError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

/// Polls `condition` every 10 ms until it holds or `timeout` passes (no fixed sleeps). The
/// bound is generous: a loaded CI machine can take seconds to open the first connection.
func eventually(
    timeout: Duration = .seconds(30), _ condition: () async throws -> Bool
) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(10))
    }
    return try await condition()
}
