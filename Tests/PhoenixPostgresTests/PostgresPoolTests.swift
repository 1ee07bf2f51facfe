import PhoenixPostgres
import Synchronization
import Testing

@Suite(.enabled("needs PostgreSQL (PHOENIX_TEST_POSTGRES)") { await TestDatabase.shouldRun() })
struct PostgresPoolTests {
    private func makePool(max: Int) -> PostgresPool {
        PostgresPool(url: TestDatabase.url, maxConnections: max, connectTimeout: .seconds(5), logger: TestDatabase.logger)
    }

    private func backendPID(_ pool: PostgresPool) async throws -> Int32 {
        try await pool.withConnection { try #require($0.backendPID) }
    }

    /// Terminates backend `pid` from a separate connection and waits until it is gone.
    private func terminate(_ pid: Int32) async throws {
        let admin = try await TestDatabase.connect()
        #expect(try await admin.query("SELECT pg_terminate_backend($1::int4) AS ok", [.int(Int64(pid))]).first?.bool("ok") == true)
        #expect(try await eventually {
            try await admin.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1", [.int(Int64(pid))]).isEmpty
        })
        await admin.close()
    }

    @Test func fiftyConcurrentTasksShareAtMostFourConnections() async throws {
        let pool = makePool(max: 4)
        let active = Locked((now: 0, peak: 0))
        let pids = try await withThrowingTaskGroup(of: Int64?.self) { group in
            for index in 0..<50 {
                group.addTask {
                    try await pool.withConnection { connection in
                        active.withLock { $0.now += 1; $0.peak = max($0.peak, $0.now) }
                        defer { active.withLock { $0.now -= 1 } }
                        let row = try await connection.query(
                            "SELECT pg_backend_pid() AS pid, $1::int8 AS i FROM pg_sleep(0.01)", [.int(Int64(index))])
                        #expect(try row.first?.int("i") == Int64(index))
                        return try row.first?.int("pid")
                    }
                }
            }
            return try await group.reduce(into: Set<Int64?>()) { $0.insert($1) }
        }
        #expect(!pids.contains(nil))
        #expect(pids.count <= 4)
        #expect(active.withLock { $0.peak } <= 4)
        #expect(pool.openConnections <= 4)
        await pool.close()
        #expect(pool.openConnections == 0)
    }

    @Test func aConnectionKilledWhileLeasedFailsClearlyAndIsReplaced() async throws {
        let pool = makePool(max: 1)
        let pid = try await pool.withConnection { connection in
            let pid = try #require(connection.backendPID)
            try await terminate(pid)
            let error = await postgresError { try await connection.query("SELECT 1") }
            // libpq reports either the backend's FATAL 57P01 (admin_shutdown) or, when the socket
            // is already closed, "server closed the connection unexpectedly" without a SQLSTATE.
            #expect(error?.code == .connectionLost)
            #expect(error?.description.hasPrefix("the PostgreSQL connection was lost") == true)
            #expect([nil, "57P01"].contains(error?.sqlState))
            #expect(await connection.isHealthy == false)
            return pid
        }
        #expect(pool.openConnections == 0)
        let next = try await pool.withConnection { try await $0.query("SELECT pg_backend_pid() AS pid").first?.int("pid") }
        #expect(next != nil && next != Int64(pid))
        await pool.close()
    }

    @Test func anIdleConnectionKilledByTheServerIsReplaced() async throws {
        let pool = makePool(max: 1)
        let first = try await backendPID(pool)
        try await terminate(first)
        // The pool checks an idle connection before handing it out, which catches this case when
        // the backend's socket is already closed. pg_stat_activity forgets a backend a moment
        // before its socket closes, so one lease may still see the connection die mid-statement.
        var second: Int64?
        for _ in 0..<2 where second == nil {
            do {
                second = try await pool.withConnection { try await $0.query("SELECT pg_backend_pid() AS pid").first?.int("pid") }
            } catch let error as PostgresError {
                #expect(error.code == .connectionLost)
            }
        }
        #expect(second != nil && second != Int64(first))
        #expect(pool.openConnections == 1)
        await pool.close()
    }

    @Test func aConnectionLeftInATransactionIsNotReused() async throws {
        let pool = makePool(max: 1)
        let first = try await pool.withConnection { connection in
            try await connection.execute("BEGIN")
            return try #require(connection.backendPID)
        }
        #expect(try await backendPID(pool) != first)
        await pool.close()
    }

    @Test func aWaiterThatIsCancelledLeavesTheQueue() async throws {
        let pool = makePool(max: 1)
        let holding = Locked(false)
        let holder = Task {
            try await pool.withConnection { connection in
                holding.withLock { $0 = true }
                try await connection.execute("SELECT pg_sleep(0.3)")
            }
        }
        #expect(try await eventually { holding.withLock { $0 } })
        let waiter = Task { try await pool.withConnection { _ in 1 } }
        waiter.cancel()
        let error = await postgresError { _ = try await waiter.value }
        #expect(error?.code == .cancelled)
        try await holder.value
        #expect(try await pool.withConnection { _ in 2 } == 2)
        await pool.close()
    }

    @Test func aClosedPoolRefusesNewLeases() async throws {
        let pool = makePool(max: 2)
        _ = try await backendPID(pool)
        await pool.close()
        let error = await postgresError { try await pool.withConnection { _ in () } }
        #expect(error?.code == .poolClosed)
    }

    @Test func anUnreachableServerFailsTheLeaseAndFreesTheSlot() async throws {
        let listener = try LoopbackListener(listening: false)
        let port = listener.port
        listener.close()
        let pool = PostgresPool(
            url: "postgresql://postgres@127.0.0.1:\(port)/postgres", maxConnections: 1, connectTimeout: .seconds(1),
            logger: TestDatabase.logger)
        for _ in 0..<3 {
            let error = await postgresError { try await pool.withConnection { _ in () } }
            #expect(error?.code == .connectionFailed)
        }
        #expect(pool.openConnections == 0)
        await pool.close()
    }
}
