import PhoenixPostgres
import Testing

@Suite(.enabled("needs PostgreSQL (PHOENIX_TEST_POSTGRES)") { await TestDatabase.shouldRun() })
struct PostgresTransactionTests {
    struct Abort: Error {}

    private func count(_ connection: PostgresConnection) async throws -> Int64? {
        try await connection.query("SELECT count(*) AS n FROM items").first?.int("n")
    }

    @Test func aTransactionCommitsWhatItsBodyDid() async throws {
        try await TestDatabase.withSchema { connection, _ in
            try await connection.execute("CREATE TABLE items (n int8)")
            let inserted = try await connection.transaction { connection in
                try await connection.execute("INSERT INTO items VALUES (1), (2)")
            }
            #expect(inserted == 2)
            #expect(try await count(connection) == 2)
        }
    }

    @Test func aThrowingBodyRollsBackAndRethrows() async throws {
        try await TestDatabase.withSchema { connection, _ in
            try await connection.execute("CREATE TABLE items (n int8)")
            await #expect(throws: Abort.self) {
                try await connection.transaction { connection in
                    try await connection.execute("INSERT INTO items VALUES (1)")
                    throw Abort()
                }
            }
            #expect(try await count(connection) == 0)
            #expect(await connection.isHealthy)
            // The session is out of the transaction: a new one starts cleanly.
            try await connection.transaction { connection in try await connection.execute("INSERT INTO items VALUES (3)") }
            #expect(try await count(connection) == 1)
        }
    }

    @Test func aSwallowedStatementErrorMakesTheCommitThrow25P02() async throws {
        try await TestDatabase.withSchema { connection, _ in
            try await connection.execute("CREATE TABLE items (n int8 PRIMARY KEY)")
            let error = await postgresError {
                try await connection.transaction { connection in
                    try await connection.execute("INSERT INTO items VALUES (1)")
                    _ = try? await connection.execute("INSERT INTO items VALUES (1)")  // 23505, ignored
                }
            }
            #expect(error?.sqlState == "25P02")
            #expect(try await count(connection) == 0)
        }
    }

    @Test func aCancelledTransactionRollsBack() async throws {
        try await TestDatabase.withSchema { connection, _ in
            try await connection.execute("CREATE TABLE items (n int8)")
            let task = Task {
                try await connection.transaction { connection in
                    try await connection.execute("INSERT INTO items VALUES (1)")
                    try await connection.execute("SELECT pg_sleep(10)")
                }
            }
            let observer = try await TestDatabase.connect()
            let pid = try #require(connection.backendPID)
            #expect(try await eventually { try await isSleeping(pid, observer) })
            task.cancel()
            let error = await postgresError { _ = try await task.value }
            #expect(error?.code == .cancelled)
            #expect(try await count(connection) == 0)
            await observer.close()
        }
    }
}

/// True while backend `pid` is running a `pg_sleep`.
func isSleeping(_ pid: Int32, _ observer: PostgresConnection) async throws -> Bool {
    let rows = try await observer.query(
        "SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND state = 'active' AND query LIKE '%pg_sleep%'",
        [.int(Int64(pid))])
    return !rows.isEmpty
}
