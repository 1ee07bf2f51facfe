import Foundation
import Logging
import PhoenixPostgres

/// The PostgreSQL server of the catalog tests, and a fresh schema per test.
///
/// `PHOENIX_TEST_POSTGRES` (a libpq URL, set by `make test`) names the server, with the loopback
/// default below. When it does not answer, the suites are skipped, unless
/// `PHOENIX_REQUIRE_SERVICES=1` (CI), when they run and fail.
enum PostgresTestServer {
    static let url =
        ProcessInfo.processInfo.environment["PHOENIX_TEST_POSTGRES"] ?? "postgresql://postgres@127.0.0.1:5433/postgres"

    static let logger = Logger(label: "phoenix-dr.tests.catalog") { _ in SwiftLogNoOpLogHandler() }

    private static let probe = Task<Bool, Never> {
        guard let connection = try? await PostgresConnection.connect(url, connectTimeout: .seconds(2), logger: logger)
        else { return false }
        await connection.close()
        return true
    }

    /// True when the tests should run: the server answers, or services are required.
    static func shouldRun() async -> Bool {
        if ProcessInfo.processInfo.environment["PHOENIX_REQUIRE_SERVICES"] == "1" { return true }
        return await probe.value
    }

    /// A fresh `t_<uuid>` schema name; the catalog creates the schema itself.
    static func makeSchemaName() -> String {
        "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    }

    /// Runs one SQL statement on a connection of its own.
    static func execute(_ sql: String) async throws {
        let connection = try await PostgresConnection.connect(url, connectTimeout: .seconds(5), logger: logger)
        defer { Task { await connection.close() } }
        try await connection.execute(sql)
    }

    static func dropSchema(_ schema: String) async {
        try? await execute("DROP SCHEMA IF EXISTS \(schema) CASCADE")
    }
}
