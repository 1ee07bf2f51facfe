import Foundation
import Logging
import PhoenixDomain
import PhoenixPostgres
import PhoenixSources

/// The two clusters `make test` starts: the production side (trust auth) and the DR side (a
/// password, so the tools' PGPASSWORD handling is exercised), and a database made per test.
enum PostgresFixture {
    static let environment = ProcessInfo.processInfo.environment
    static let primaryURL = environment["PHOENIX_TEST_POSTGRES"] ?? "postgresql://postgres@127.0.0.1:5433/postgres"
    static let drURL = environment["PHOENIX_TEST_POSTGRES_DR"] ?? "postgresql://postgres:dr-secret-pw@127.0.0.1:5434/postgres"
    static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// `url` with another database.
    static func url(_ url: String, database: String) -> String {
        var components = URLComponents(string: url)!
        components.path = "/" + database
        return components.string!
    }

    static func uniqueName(_ prefix: String) -> String {
        prefix + "_" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
    }

    static func run(_ url: String, _ statements: [String]) async throws {
        let connection = try await PostgresConnection.connect(url, logger: logger)
        do {
            for statement in statements { _ = try await connection.execute(statement) }
            await connection.close()
        } catch {
            await connection.close()
            throw error
        }
    }

    static func query(_ url: String, _ sql: String) async throws -> [[String?]] {
        let connection = try await PostgresConnection.connect(url, logger: logger)
        defer { Task { await connection.close() } }
        let rows = try await connection.query(sql)
        return try rows.map { row in try rows.columns.map { try row.string($0) } }
    }

    /// A database on the primary with a role that owns a table, two schemas, NULLs, bytea, a
    /// quoted name, a partitioned table and a migrations table; `rows` rows in `app.events`.
    static func makeDatabase(rows: Int = 500) async throws -> (database: String, role: String) {
        let database = uniqueName("phx_src")
        let role = uniqueName("phx_owner")
        // Another time zone than the DR side's: timestamptz text differs, the state hash must not.
        try await run(primaryURL, ["CREATE DATABASE \(database)", "ALTER DATABASE \(database) SET TimeZone = 'Asia/Tokyo'",
                                   "CREATE ROLE \(role) NOLOGIN"])
        try await run(url(primaryURL, database: database), [
            "CREATE SCHEMA app",
            "CREATE TABLE app.events (id int PRIMARY KEY, body text, payload bytea, at timestamptz)",
            "INSERT INTO app.events SELECT g, CASE WHEN g % 7 = 0 THEN NULL ELSE md5(g::text) END, decode(md5(g::text), 'hex'), '2026-01-01'::timestamptz + g * interval '1 minute' FROM generate_series(1, \(rows)) g",
            "CREATE TABLE public.\"Odd \"\"Name\"\"\" (k text)",
            "INSERT INTO public.\"Odd \"\"Name\"\"\" VALUES ('a'), ('b'), (NULL)",
            "CREATE TABLE public.owned (v int)",
            "ALTER TABLE public.owned OWNER TO \(role)",
            "INSERT INTO public.owned SELECT generate_series(1, 42)",
            "CREATE TABLE public.measures (at date, v int) PARTITION BY RANGE (at)",
            "CREATE TABLE public.measures_2026 PARTITION OF public.measures FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
            "INSERT INTO public.measures SELECT '2026-03-01'::date + g, g FROM generate_series(1, 30) g",
            "CREATE TABLE public.schema_migrations (version text)",
            "INSERT INTO public.schema_migrations VALUES ('20261101'), ('20261120')",
        ])
        return (database, role)
    }

    static func drop(_ database: String, on url: String) async {
        try? await run(url, ["DROP DATABASE IF EXISTS \(database) WITH (FORCE)"])
    }

    static let schemaVersionQuery = "SELECT max(version) FROM public.schema_migrations"
}

/// A sink that keeps everything in memory (the test databases are small), and can run a hook
/// after each write.
actor MemorySink: SnapshotSink {
    private(set) var bytes: [UInt8] = []
    private let afterWrite: @Sendable (Int) async throws -> Void

    init(afterWrite: @escaping @Sendable (Int) async throws -> Void = { _ in }) {
        self.afterWrite = afterWrite
    }

    func write(_ piece: [UInt8]) async throws {
        bytes += piece
        try await afterWrite(bytes.count)
    }

    /// The bytes in pieces of `size`, as a restore reads them.
    func pieces(of size: Int = 100_000) -> [[UInt8]] {
        stride(from: 0, to: bytes.count, by: size).map { Array(bytes[$0..<min(bytes.count, $0 + size)]) }
    }
}
