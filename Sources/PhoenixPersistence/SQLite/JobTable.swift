import FoundationEssentials
import GRDB
import PhoenixDomain

/// Reads and writes rows of the `jobs` table; each function runs inside the caller's transaction.
enum JobTable {
    static let columns = """
        id, kind, state, dataset, triggered_by, idempotency_key, created_at, started_at, finished_at, \
        worker, bytes_done, bytes_total, items, error, is_cancel_requested, parameters
        """

    /// Inserts `job` without its steps.
    static func insert(_ job: Job, _ db: Database) throws {
        try db.execute(
            sql: "INSERT INTO jobs (\(columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            arguments: [
                job.id.rawValue, job.kind.rawValue, job.state.rawValue, job.dataset, job.trigger,
                job.idempotencyKey, job.createdAt.unixMillis, job.startedAt?.unixMillis,
                job.finishedAt?.unixMillis, job.worker, job.bytesDone, job.bytesTotal, job.items,
                job.error, job.isCancelRequested, StoredJSONMap.encode(job.parameters),
            ])
    }

    /// The job with `id` and its steps.
    static func fetch(_ id: JobID, _ db: Database) throws -> Job? {
        try fetchAll(db, where: "id = ?", arguments: [id.rawValue]).first
    }

    /// The job enqueued with `key`, and its steps.
    static func fetch(idempotencyKey key: String, _ db: Database) throws -> Job? {
        try fetchAll(db, where: "idempotency_key = ?", arguments: [key]).first
    }

    /// The jobs matching `condition`, in the order and number `suffix` (ORDER BY, LIMIT) gives.
    static func fetchAll(_ db: Database, where condition: String, suffix: String = "",
                         arguments: StatementArguments) throws -> [Job] {
        let rows = try Row.fetchAll(db, sql: "SELECT \(columns) FROM jobs WHERE \(condition) \(suffix)",
                                    arguments: arguments)
        return try rows.map { row in
            let id = JobID(rawValue: try row.decode(forColumn: "id"))
            return try decode(row, steps: JobStepTable.fetch(of: id, db))
        }
    }

    /// The id of the job that matches `condition` and comes first in `order`.
    static func firstID(_ db: Database, where condition: String, order: String) throws -> JobID? {
        try String.fetchOne(db, sql: "SELECT id FROM jobs WHERE \(condition) ORDER BY \(order) LIMIT 1")
            .map(JobID.init(rawValue:))
    }

    /// The state of the job with `id`, nil if there is none.
    static func state(of id: JobID, _ db: Database) throws -> JobState? {
        guard let raw = try String.fetchOne(db, sql: "SELECT state FROM jobs WHERE id = ?", arguments: [id.rawValue]) else {
            return nil
        }
        return try StoredEnum.decode(JobState.self, raw, of: id)
    }

    private static func decode(_ row: Row, steps: [JobStep]) throws -> Job {
        let id = JobID(rawValue: try row.decode(forColumn: "id"))
        let optionalDate = { (column: String) throws -> Date? in
            try row.decode(Int64?.self, forColumn: column).map(Date.init(unixMillis:))
        }
        return Job(
            id: id,
            kind: try StoredEnum.decode(JobKind.self, try row.decode(forColumn: "kind"), of: id),
            state: try StoredEnum.decode(JobState.self, try row.decode(forColumn: "state"), of: id),
            dataset: try row.decode(forColumn: "dataset"),
            trigger: try row.decode(forColumn: "triggered_by"),
            idempotencyKey: try row.decode(forColumn: "idempotency_key"),
            parameters: try StoredJSONMap.decode(try row.decode(forColumn: "parameters"), of: id.rawValue),
            createdAt: Date(unixMillis: try row.decode(forColumn: "created_at")),
            startedAt: try optionalDate("started_at"),
            finishedAt: try optionalDate("finished_at"),
            worker: try row.decode(forColumn: "worker"),
            bytesDone: try row.decode(forColumn: "bytes_done"),
            bytesTotal: try row.decode(forColumn: "bytes_total"),
            items: try row.decode(forColumn: "items"),
            error: try row.decode(forColumn: "error"),
            isCancelRequested: try row.decode(forColumn: "is_cancel_requested"),
            steps: steps)
    }
}
