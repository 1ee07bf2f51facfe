import Foundation
import Logging
import PhoenixPostgres
import Testing

@Suite(.enabled("needs PostgreSQL (PHOENIX_TEST_POSTGRES)") { await TestDatabase.shouldRun() })
struct PostgresConnectionTests {
    @Test func connectsAndRunsASimpleQuery() async throws {
        let connection = try await TestDatabase.connect()
        let rows = try await connection.query("SELECT 1 AS one, 'phoenix' AS name, pg_backend_pid() AS pid")
        #expect(rows.columns == ["one", "name", "pid"])
        #expect(rows.count == 1)
        #expect(rows.commandTag == "SELECT 1")
        let row = try #require(rows.first)
        #expect(try row.int("one") == 1)
        #expect(try row.string("name") == "phoenix")
        #expect(try row.int("pid") == Int64(try #require(connection.backendPID)))
        #expect(await connection.isHealthy)
        await connection.close()
        #expect(await connection.isHealthy == false)
    }

    @Test func aSyntaxErrorIsQueryFailedWith42601AndTheDescriptionHoldsNoSQL() async throws {
        let connection = try await TestDatabase.connect()
        let error = await postgresError { try await connection.query("SELEC secret_column FROM secret_table") }
        #expect(error?.code == .queryFailed)
        #expect(error?.sqlState == "42601")
        let description = try #require(error?.description)
        #expect(!description.contains("secret"))
        #expect(!description.contains("SELEC"))
        #expect(error?.debugDescription.contains("syntax error") == true)
        #expect(error?.debugDescription.contains("secret_table") == false)
        // The session survives a statement error.
        #expect(try await connection.query("SELECT 2 AS n").first?.int("n") == 2)
        await connection.close()
    }

    @Test func aUniqueViolationReports23505() async throws {
        try await TestDatabase.withSchema { connection, _ in
            try await connection.execute("CREATE TABLE jobs (id text PRIMARY KEY)")
            #expect(try await connection.execute("INSERT INTO jobs VALUES ($1)", [.text("a")]) == 1)
            let error = await postgresError { try await connection.execute("INSERT INTO jobs VALUES ($1)", [.text("a")]) }
            #expect(error?.code == .queryFailed)
            #expect(error?.sqlState == "23505")
        }
    }

    @Test func executeReturnsTheAffectedRowCount() async throws {
        try await TestDatabase.withSchema { connection, _ in
            try await connection.execute("CREATE TABLE items (n int8)")
            #expect(try await connection.execute("INSERT INTO items SELECT generate_series(1, 5)") == 5)
            #expect(try await connection.execute("UPDATE items SET n = n + 1 WHERE n > $1", [.int(2)]) == 3)
            #expect(try await connection.execute("DELETE FROM items") == 5)
        }
    }

    @Test func aClosedConnectionThrowsConnectionClosed() async throws {
        let connection = try await TestDatabase.connect()
        await connection.close()
        await connection.close()  // twice is fine: PQfinish runs once
        let error = await postgresError { try await connection.query("SELECT 1") }
        #expect(error?.code == .connectionClosed)
    }

    @Test func statementsFromManyTasksOnOneConnectionAreSerialised() async throws {
        let connection = try await TestDatabase.connect()
        try await withThrowingTaskGroup(of: Int64?.self) { group in
            for index in 0..<20 {
                group.addTask { try await connection.query("SELECT $1::int8 * 2 AS n", [.int(Int64(index))]).first?.int("n") }
            }
            var results = Set<Int64>()
            for try await value in group { results.insert(try #require(value)) }
            #expect(results == Set((0..<20).map { Int64($0 * 2) }))
        }
        await connection.close()
    }

    @Test func noticesAreCollectedAndLoggedAtDebug() async throws {
        let (logger, store) = RecordingLogHandler.makeLogger()
        let connection = try await TestDatabase.connect(logger: logger)
        try await connection.execute("DO $$ BEGIN RAISE NOTICE 'phoenix notice %', 42; END $$")
        let notices = await connection.takeNotices()
        #expect(notices.count == 1)
        #expect(notices.first?.contains("phoenix notice 42") == true)
        #expect(await connection.takeNotices().isEmpty)
        #expect(store.metadata("postgres.notice").contains { $0.contains("phoenix notice 42") })
        await connection.close()
    }

    @Test func anUnsupportedCopyClosesTheConnectionWithProtocolViolation() async throws {
        let connection = try await TestDatabase.connect()
        let error = await postgresError { try await connection.query("COPY (SELECT 1) TO STDOUT") }
        #expect(error?.code == .protocolViolation)
        #expect(await connection.isHealthy == false)
    }

    @Test func textWithANulByteIsRejectedBeforeSending() async throws {
        let connection = try await TestDatabase.connect()
        let error = await postgresError { try await connection.query("SELECT $1 AS v", [.text("a\u{0}b")]) }
        #expect(error?.code == .invalidParameter)
        #expect(try await connection.query("SELECT 1 AS n").first?.int("n") == 1)
        await connection.close()
    }

    @Test func aConnectionReleasedWithoutCloseEndsItsSession() async throws {
        let observer = try await TestDatabase.connect()
        var connection: PostgresConnection? = try await TestDatabase.connect()
        let pid = try #require(connection?.backendPID)
        _ = try await connection?.query("SELECT 1")
        connection = nil  // deinit: PQfinish, once
        #expect(try await eventually {
            try await observer.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1", [.int(Int64(pid))]).isEmpty
        })
        await observer.close()
    }
}
