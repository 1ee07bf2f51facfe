import FoundationEssentials
import PhoenixDomain
import PhoenixPostgres

extension PostgresJobCatalog {
    /// Stores `job` with its steps, or returns the job stored earlier under its idempotency key.
    public func enqueue(_ job: Job) async throws -> Job {
        let schema = schema
        return try await transaction("store the job") { connection in
            // ON CONFLICT waits for a concurrent insert of the same key to commit, then does
            // nothing; the next statement's snapshot sees that job.
            let inserted = try await connection.query(
                """
                INSERT INTO \(schema).jobs (\(PostgresJobRows.insertColumns)) VALUES (\(PostgresJobRows.insertValues))
                ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING id
                """, PostgresJobRows.parameters(of: job))
            guard !inserted.isEmpty else {
                let key = job.idempotencyKey ?? ""
                guard let earlier = try await Self.fetchJobs(connection, schema, where: "idempotency_key = $1", [.text(key)]).first else {
                    throw CatalogError(.storage, "could not store the job", detail: "insert skipped without an earlier job")
                }
                return earlier
            }
            for step in job.steps {
                try await Self.upsert(step, of: job.id, connection, schema)
            }
            return try await Self.fetchJobs(connection, schema, where: "id = $1", [.text(job.id.rawValue)]).first ?? job
        }
    }

    /// Claims the oldest claimable queued job with `FOR UPDATE SKIP LOCKED`.
    ///
    /// Two instances may pick queued jobs of one dataset at the same moment; the unique index on
    /// running datasets refuses the second, which then looks again.
    public func claimNext(worker: String, now: Date) async throws -> Job? {
        let schema = schema
        for _ in 0..<8 {
            let attempt: ClaimAttempt = try await withConnection("claim a job") { connection in
                do {
                    return .claimed(try await connection.transaction { connection in
                        let claimed = try await connection.query(
                            """
                            UPDATE \(schema).jobs SET state = 'running', worker = $1, started_at = \(PostgresJobRows.at(2)),
                                heartbeat_at = \(PostgresJobRows.at(2))
                            WHERE id = (
                                SELECT id FROM \(schema).jobs AS queued
                                WHERE queued.state = 'queued' AND (queued.dataset IS NULL OR NOT EXISTS (
                                    SELECT 1 FROM \(schema).jobs AS running
                                    WHERE running.state = 'running' AND running.dataset = queued.dataset))
                                ORDER BY queued.created_at, queued.id
                                LIMIT 1 FOR UPDATE SKIP LOCKED)
                            RETURNING id
                            """, [.text(worker), .int(now.unixMillis)])
                        guard let id = try claimed.first?.string("id") else { return nil }
                        return try await Self.fetchJobs(connection, schema, where: "id = $1", [.text(id)]).first
                    })
                } catch where CatalogError.isUniqueViolation(error) {
                    return .conflict
                }
            }
            if case .claimed(let job) = attempt { return job }
        }
        // Eight conflicts in a row: others are claiming the same datasets; the next poll retries.
        return nil
    }

    private enum ClaimAttempt: Sendable {
        case claimed(Job?)
        case conflict
    }

    /// The job with `id` and its steps, read from one snapshot.
    public func job(_ id: JobID) async throws -> Job? {
        let schema = schema
        return try await transaction("read the job", readOnlySnapshot: true) { connection in
            try await Self.fetchJobs(connection, schema, where: "id = $1", [.text(id.rawValue)]).first
        }
    }

    /// One page of jobs, newest first; an `after` cursor naming no stored job throws `.notFound`.
    public func list(_ query: JobQuery) async throws -> [Job] {
        let schema = schema
        return try await transaction("list jobs", readOnlySnapshot: true) { connection in
            var conditions = ["true"]
            var parameters: [PostgresValue] = []
            func add(_ condition: String, _ value: PostgresValue) {
                parameters.append(value)
                conditions.append(condition.replacing("$?", with: "$\(parameters.count)"))
            }
            if let kind = query.kind { add("kind = $?", .text(kind.rawValue)) }
            if let state = query.state { add("state = $?", .text(state.rawValue)) }
            if let dataset = query.dataset { add("dataset = $?", .text(dataset)) }
            // starts_with, not LIKE: `_` and `%` in a dataset name are no wildcards here.
            if let prefix = query.keyPrefix { add("starts_with(idempotency_key, $?)", .text(prefix)) }
            if let after = query.after {
                let cursor = try await connection.query("SELECT created_at FROM \(schema).jobs WHERE id = $1", [.text(after.rawValue)])
                guard !cursor.isEmpty else { throw CatalogError(.notFound, "unknown cursor \"\(after)\"") }
                // The cursor's own position, so jobs created in the same millisecond page stably.
                add("(created_at, id) < (SELECT created_at, id FROM \(schema).jobs WHERE id = $?)", .text(after.rawValue))
            }
            parameters.append(.int(Int64(max(query.limit, 0))))
            return try await Self.fetchJobs(connection, schema, where: conditions.joined(separator: " AND "), parameters,
                                            suffix: "ORDER BY created_at DESC, id DESC LIMIT $\(parameters.count)")
        }
    }
}
