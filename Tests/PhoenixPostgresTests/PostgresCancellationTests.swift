import PhoenixPostgres
import Testing

@Suite(.enabled("needs PostgreSQL (PHOENIX_TEST_POSTGRES)") { await TestDatabase.shouldRun() })
struct PostgresCancellationTests {
    @Test func cancellingTheTaskCancelsARunningPgSleep() async throws {
        let connection = try await TestDatabase.connect()
        let start = ContinuousClock.now
        let task = Task { try await connection.query("SELECT pg_sleep(10)") }
        // Cancel once the server runs it (at least 100 ms in), so PQcancel is what stops it.
        let observer = try await TestDatabase.connect()
        let pid = try #require(connection.backendPID)
        try await Task.sleep(for: .milliseconds(100))
        #expect(try await eventually { try await isSleeping(pid, observer) })
        await observer.close()
        task.cancel()
        let error = await postgresError { _ = try await task.value }
        #expect(ContinuousClock.now - start < .seconds(8))
        #expect(error?.code == .cancelled)
        #expect(error?.sqlState == "57014")
        #expect(error?.description.contains("pg_sleep") == false)
        // The connection stays usable after a cancelled statement.
        #expect(try await connection.query("SELECT 7 AS n").first?.int("n") == 7)
        await connection.close()
    }

    @Test func anAlreadyCancelledTaskRunsNothing() async throws {
        try await TestDatabase.withSchema { connection, _ in
            try await connection.execute("CREATE TABLE items (n int8)")
            let task = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                return try await connection.execute("INSERT INTO items VALUES (1)")
            }
            let error = await postgresError { _ = try await task.value }
            #expect(error?.code == .cancelled)
            #expect(try await connection.query("SELECT count(*) AS n FROM items").first?.int("n") == 0)
        }
    }

    @Test func statementTimeoutIsAQueryFailureNotACancellation() async throws {
        let connection = try await TestDatabase.connect()
        try await connection.execute("SET statement_timeout TO 50")
        let error = await postgresError { try await connection.query("SELECT pg_sleep(5)") }
        #expect(error?.code == .queryFailed)
        #expect(error?.sqlState == "57014")
        await connection.close()
    }

    @Test func manyStatementsCancelledAtOnceFromSeveralTasks() async throws {
        let connections = try await withThrowingTaskGroup(of: PostgresConnection.self) { group in
            for _ in 0..<4 { group.addTask { try await TestDatabase.connect() } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let observer = try await TestDatabase.connect()
        let tasks = connections.map { connection in Task { try await connection.query("SELECT pg_sleep(10)") } }
        for connection in connections {
            let pid = try #require(connection.backendPID)
            #expect(try await eventually { try await isSleeping(pid, observer) })
        }
        // Cancel from several tasks concurrently: each QueryCanceller sends PQcancel from its own thread.
        await withTaskGroup(of: Void.self) { group in
            for task in tasks { group.addTask { task.cancel() } }
        }
        for task in tasks {
            let error = await postgresError { _ = try await task.value }
            #expect(error?.code == .cancelled)
        }
        for connection in connections {
            #expect(try await connection.query("SELECT 1 AS n").first?.int("n") == 1)
            await connection.close()
        }
        await observer.close()
    }
}
