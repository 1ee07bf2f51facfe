import FoundationEssentials
import GRDB
import PhoenixDomain

/// Reads and writes rows of the `job_steps` table; each function runs inside the caller's transaction.
enum JobStepTable {
    /// Inserts `step`, or replaces the stored attempt with the same job, name and attempt number.
    static func upsert(_ step: JobStep, of id: JobID, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO job_steps (job_id, name, attempt, started_at, finished_at, error)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (job_id, name, attempt) DO UPDATE SET
                    started_at = excluded.started_at, finished_at = excluded.finished_at, error = excluded.error
                """,
            arguments: [id.rawValue, step.name, step.attempt, step.startedAt.unixMillis,
                        step.finishedAt?.unixMillis, step.error])
    }

    /// The steps of job `id`, in the order they started (then by attempt and name).
    static func fetch(of id: JobID, _ db: Database) throws -> [JobStep] {
        let statement = try db.cachedStatement(sql: """
            SELECT name, attempt, started_at, finished_at, error FROM job_steps
            WHERE job_id = ? ORDER BY started_at, attempt, name
            """)
        return try Row.fetchAll(statement, arguments: [id.rawValue]).map { row in
            JobStep(
                name: try row.decode(forColumn: "name"),
                attempt: try row.decode(forColumn: "attempt"),
                startedAt: Date(unixMillis: try row.decode(forColumn: "started_at")),
                finishedAt: try row.decode(Int64?.self, forColumn: "finished_at").map(Date.init(unixMillis:)),
                error: try row.decode(forColumn: "error"))
        }
    }
}
