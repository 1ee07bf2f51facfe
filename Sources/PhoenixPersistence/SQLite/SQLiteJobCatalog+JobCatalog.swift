import FoundationEssentials
import GRDB
import PhoenixDomain

extension SQLiteJobCatalog {
    /// Stores `job` with its steps, or returns the job stored earlier under its idempotency key.
    public func enqueue(_ job: Job) async throws -> Job {
        try await write("store the job") { db in
            // Look-up and insert share one IMMEDIATE transaction, so concurrent enqueues with one
            // key see each other; the unique index backs this up.
            if let key = job.idempotencyKey, let earlier = try JobTable.fetch(idempotencyKey: key, db) {
                return earlier
            }
            try JobTable.insert(job, db)
            for step in job.steps {
                try JobStepTable.upsert(step, of: job.id, db)
            }
            return try JobTable.fetch(job.id, db) ?? job
        }
    }

    /// Marks the oldest claimable queued job running on `worker`, in one write transaction.
    public func claimNext(worker: String, now: Date) async throws -> Job? {
        try await write("claim a job") { db in
            // The literals let SQLite use the partial index `jobs_running_dataset` for the probe.
            let claimable = """
                state = 'queued' AND (dataset IS NULL OR NOT EXISTS (
                    SELECT 1 FROM jobs AS running WHERE running.state = 'running' AND running.dataset = jobs.dataset))
                """
            guard let id = try JobTable.firstID(db, where: claimable, order: "created_at, id") else {
                return nil
            }
            try db.execute(
                sql: "UPDATE jobs SET state = 'running', worker = ?1, started_at = ?2, heartbeat_at = ?2 WHERE id = ?3",
                arguments: [worker, now.unixMillis, id.rawValue])
            return try JobTable.fetch(id, db)
        }
    }

    /// The job with `id` and its steps, read from one snapshot.
    public func job(_ id: JobID) async throws -> Job? {
        try await read("read the job") { db in
            try JobTable.fetch(id, db)
        }
    }

    /// One page of jobs, newest first; an `after` cursor naming no stored job throws `.notFound`.
    public func list(_ query: JobQuery) async throws -> [Job] {
        try await read("list jobs") { db in
            var conditions = ["1 = 1"]
            var arguments = StatementArguments()
            if let kind = query.kind {
                conditions.append("kind = ?")
                arguments += [kind.rawValue]
            }
            if let state = query.state {
                conditions.append("state = ?")
                arguments += [state.rawValue]
            }
            if let dataset = query.dataset {
                conditions.append("dataset = ?")
                arguments += [dataset]
            }
            if let prefix = query.keyPrefix {
                // substr, not LIKE: `_` and `%` in a dataset name are no wildcards here.
                conditions.append("substr(idempotency_key, 1, length(?)) = ?")
                arguments += [prefix, prefix]
            }
            if let after = query.after {
                // The cursor's own position, so jobs created in the same millisecond page stably.
                guard let created = try Int64.fetchOne(db, sql: "SELECT created_at FROM jobs WHERE id = ?",
                                                       arguments: [after.rawValue]) else {
                    throw CatalogError(.notFound, "unknown cursor \"\(after)\"")
                }
                conditions.append("(created_at, id) < (?, ?)")
                arguments += [created, after.rawValue]
            }
            arguments += [max(query.limit, 0)]
            return try JobTable.fetchAll(db, where: conditions.joined(separator: " AND "),
                                         suffix: "ORDER BY created_at DESC, id DESC LIMIT ?", arguments: arguments)
        }
    }

    /// Inserts or replaces the step attempt; throws `.notFound` for an unknown job.
    public func recordStep(_ step: JobStep, of id: JobID) async throws {
        try await write("record the step") { db in
            guard try JobTable.state(of: id, db) != nil else {
                throw CatalogError(.notFound, "no job \(id)")
            }
            try JobStepTable.upsert(step, of: id, db)
        }
    }

    /// Sets the progress counters of a job that has not ended; throws `.alreadyFinished` once it has.
    public func updateProgress(of id: JobID, bytesDone: Int64, bytesTotal: Int64?, items: Int64) async throws {
        try await write("update the job's progress") { db in
            try db.execute(
                sql: "UPDATE jobs SET bytes_done = ?, bytes_total = ?, items = ? WHERE id = ? AND state IN ('queued', 'running')",
                arguments: [bytesDone, bytesTotal, items, id.rawValue])
            try Self.requireChange(db, id)
        }
    }

    /// Ends a queued or running job; `state` must be terminal (a programming error otherwise).
    public func finish(_ id: JobID, state: JobState, error: String?, now: Date) async throws {
        precondition(state.isTerminal, "finish(_:state:) needs a terminal state, not \(state)")
        try await write("finish the job") { db in
            try db.execute(
                sql: "UPDATE jobs SET state = ?, error = ?, finished_at = ? WHERE id = ? AND state IN ('queued', 'running')",
                arguments: [state.rawValue, error, now.unixMillis, id.rawValue])
            try Self.requireChange(db, id)
        }
    }

    /// Cancels a queued job, flags a running one, and leaves an ended one as it is.
    public func requestCancel(_ id: JobID, now: Date) async throws -> Job? {
        try await write("cancel the job") { db in
            switch try JobTable.state(of: id, db) {
            case nil:
                return nil
            case .queued:
                try db.execute(
                    sql: "UPDATE jobs SET state = 'cancelled', finished_at = ?, is_cancel_requested = 1 WHERE id = ?",
                    arguments: [now.unixMillis, id.rawValue])
            case .running:
                try db.execute(sql: "UPDATE jobs SET is_cancel_requested = 1 WHERE id = ?", arguments: [id.rawValue])
            default:
                break
            }
            return try JobTable.fetch(id, db)
        }
    }

    /// Marks running jobs interrupted, keeping any error they already had, and counts them.
    public func interruptRunning(worker: String?, now: Date) async throws -> Int {
        try await write("mark running jobs interrupted") { db in
            try db.execute(
                sql: """
                    UPDATE jobs SET state = 'interrupted', finished_at = ?1,
                        error = coalesce(error, 'the process running the job stopped before it finished')
                    WHERE state = 'running' AND (?2 IS NULL OR worker = ?2)
                    """,
                arguments: [now.unixMillis, worker])
            return db.changesCount
        }
    }

    /// Records the running worker's sign of life and returns the job's cancel flag.
    public func heartbeat(_ id: JobID, now: Date) async throws -> Bool {
        try await write("record the job's heartbeat") { db in
            try db.execute(
                sql: "UPDATE jobs SET heartbeat_at = ? WHERE id = ? AND state IN ('queued', 'running')",
                arguments: [now.unixMillis, id.rawValue])
            try Self.requireChange(db, id)
            return try Bool.fetchOne(db, sql: "SELECT is_cancel_requested FROM jobs WHERE id = ?", arguments: [id.rawValue]) ?? false
        }
    }

    /// Marks interrupted the running jobs whose worker has been silent since `silentSince`.
    public func interruptSilent(since silentSince: Date, now: Date) async throws -> Int {
        try await write("interrupt jobs of silent workers") { db in
            try db.execute(
                sql: """
                    UPDATE jobs SET state = 'interrupted', finished_at = ?1,
                        error = coalesce(error, 'the process running the job stopped before it finished')
                    WHERE state = 'running' AND coalesce(heartbeat_at, started_at) < ?2
                    """,
                arguments: [now.unixMillis, silentSince.unixMillis])
            return db.changesCount
        }
    }

    /// After an update guarded by "not terminal": fails as not found or already finished when
    /// no row changed.
    private static func requireChange(_ db: Database, _ id: JobID) throws {
        guard db.changesCount == 0 else { return }
        guard let state = try JobTable.state(of: id, db) else {
            throw CatalogError(.notFound, "no job \(id)")
        }
        throw CatalogError(.alreadyFinished, "job \(id) has already ended (\(state.rawValue))")
    }
}
