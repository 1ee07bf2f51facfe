import FoundationEssentials
import PhoenixDomain
import PhoenixPostgres

extension PostgresJobCatalog {
    /// Inserts or replaces the step attempt; throws `.notFound` for an unknown job.
    public func recordStep(_ step: JobStep, of id: JobID) async throws {
        let schema = schema
        try await transaction("record the step") { connection in
            let exists = try await connection.query("SELECT 1 FROM \(schema).jobs WHERE id = $1", [.text(id.rawValue)])
            guard !exists.isEmpty else { throw CatalogError(.notFound, "no job \(id)") }
            try await Self.upsert(step, of: id, connection, schema)
        }
    }

    /// Sets the progress counters of a job that has not ended; throws `.alreadyFinished` once it has.
    public func updateProgress(of id: JobID, bytesDone: Int64, bytesTotal: Int64?, items: Int64) async throws {
        try await updateUnfinished(id, "update the job's progress", set: "bytes_done = $2, bytes_total = $3, items = $4",
                                   [.int(bytesDone), bytesTotal.map(PostgresValue.int) ?? .null, .int(items)])
    }

    /// Ends a queued or running job; `state` must be terminal (a programming error otherwise).
    public func finish(_ id: JobID, state: JobState, error: String?, now: Date) async throws {
        precondition(state.isTerminal, "finish(_:state:) needs a terminal state, not \(state)")
        try await updateUnfinished(id, "finish the job", set: "state = $2, error = $3, finished_at = \(PostgresJobRows.at(4))",
                                   [.text(state.rawValue), PostgresJobRows.text(error), .int(now.unixMillis)])
    }

    /// Records the running worker's sign of life and returns the job's cancel flag.
    public func heartbeat(_ id: JobID, now: Date) async throws -> Bool {
        try await updateUnfinished(id, "record the job's heartbeat", set: "heartbeat_at = \(PostgresJobRows.at(2))",
                                   [.int(now.unixMillis)], returning: "is_cancel_requested")
            .first?.bool("is_cancel_requested") ?? false
    }

    /// Cancels a queued job, flags a running one, and leaves an ended one as it is.
    public func requestCancel(_ id: JobID, now: Date) async throws -> Job? {
        let schema = schema
        return try await transaction("cancel the job") { connection in
            // The row lock orders this against a concurrent claim or finish of the same job.
            let current = try await connection.query("SELECT state FROM \(schema).jobs WHERE id = $1 FOR UPDATE", [.text(id.rawValue)])
            guard let state = try current.first?.string("state") else { return nil }
            switch state {
            case JobState.queued.rawValue:
                try await connection.execute(
                    "UPDATE \(schema).jobs SET state = 'cancelled', finished_at = \(PostgresJobRows.at(2)), is_cancel_requested = true WHERE id = $1",
                    [.text(id.rawValue), .int(now.unixMillis)])
            case JobState.running.rawValue:
                try await connection.execute("UPDATE \(schema).jobs SET is_cancel_requested = true WHERE id = $1", [.text(id.rawValue)])
            default:
                break
            }
            return try await Self.fetchJobs(connection, schema, where: "id = $1", [.text(id.rawValue)]).first
        }
    }

    /// Marks running jobs interrupted, keeping any error they already had, and counts them.
    public func interruptRunning(worker: String?, now: Date) async throws -> Int {
        try await interrupt("mark running jobs interrupted", where: "($2::text IS NULL OR worker = $2)",
                            [PostgresJobRows.text(worker)], now: now)
    }

    /// Marks interrupted the running jobs whose worker has been silent since `silentSince`.
    public func interruptSilent(since silentSince: Date, now: Date) async throws -> Int {
        try await interrupt("interrupt jobs of silent workers",
                            where: "coalesce(heartbeat_at, started_at) < \(PostgresJobRows.at(2))", [.int(silentSince.unixMillis)], now: now)
    }

    // MARK: - Shared statements

    private func interrupt(_ action: String, where condition: String, _ parameters: [PostgresValue], now: Date) async throws -> Int {
        let schema = schema
        return try await withConnection(action) { connection in
            try await connection.execute(
                """
                UPDATE \(schema).jobs SET state = 'interrupted', finished_at = \(PostgresJobRows.at(1)),
                    error = coalesce(error, 'the process running the job stopped before it finished')
                WHERE state = 'running' AND \(condition)
                """, [.int(now.unixMillis)] + parameters)
        }
    }

    /// Updates a job that has not ended (`$1` is its id); fails as not found or already finished
    /// when no row changed.
    @discardableResult
    private func updateUnfinished(_ id: JobID, _ action: String, set assignments: String, _ parameters: [PostgresValue],
                                  returning: String = "id") async throws -> PostgresRows {
        let schema = schema
        return try await transaction(action) { connection in
            let updated = try await connection.query(
                "UPDATE \(schema).jobs SET \(assignments) WHERE id = $1 AND state IN ('queued', 'running') RETURNING \(returning)",
                [.text(id.rawValue)] + parameters)
            guard updated.isEmpty else { return updated }
            let current = try await connection.query("SELECT state FROM \(schema).jobs WHERE id = $1", [.text(id.rawValue)])
            guard let state = try current.first?.string("state") else { throw CatalogError(.notFound, "no job \(id)") }
            throw CatalogError(.alreadyFinished, "job \(id) has already ended (\(state))")
        }
    }

    static func upsert(_ step: JobStep, of id: JobID, _ connection: PostgresConnection, _ schema: String) async throws {
        try await connection.execute(
            """
            INSERT INTO \(schema).job_steps (job_id, name, attempt, started_at, finished_at, error)
            VALUES ($1, $2, $3, \(PostgresJobRows.at(4)), \(PostgresJobRows.at(5)), $6)
            ON CONFLICT (job_id, name, attempt) DO UPDATE SET
                started_at = excluded.started_at, finished_at = excluded.finished_at, error = excluded.error
            """,
            [.text(id.rawValue), .text(step.name), .int(Int64(step.attempt)), .int(step.startedAt.unixMillis),
             PostgresJobRows.millis(step.finishedAt), PostgresJobRows.text(step.error)])
    }

    /// The jobs matching `condition`, with their steps, in the order `suffix` gives.
    static func fetchJobs(_ connection: PostgresConnection, _ schema: String, where condition: String,
                          _ parameters: [PostgresValue], suffix: String = "") async throws -> [Job] {
        let rows = try await connection.query(
            "SELECT \(PostgresJobRows.jobColumns) FROM \(schema).jobs WHERE \(condition) \(suffix)", parameters)
        guard !rows.isEmpty else { return [] }
        let ids = try rows.map { row in JobID(rawValue: try row.string("id") ?? "") }
        let stepRows = try await connection.query(
            "SELECT \(PostgresJobRows.stepColumns) FROM \(schema).job_steps WHERE job_id = ANY($1::text[]) ORDER BY started_at, attempt, name",
            [.text(PostgresJobRows.arrayLiteral(ids))])
        var steps: [String: [JobStep]] = [:]
        for row in stepRows {
            steps[try row.string("job_id") ?? "", default: []].append(try PostgresJobRows.decodeStep(row))
        }
        return try rows.map { row in try PostgresJobRows.decodeJob(row, steps: steps[try row.string("id") ?? ""] ?? []) }
    }
}
