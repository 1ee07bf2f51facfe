import FoundationEssentials
import PhoenixDomain
import PhoenixPostgres

/// SQL fragments and row decoding for the `jobs` and `job_steps` tables.
///
/// Dates travel as exact unix milliseconds (`.int`), turned into `timestamptz` by `at(_:)` and
/// back by `millis(_:)`, so a job reads back equal to what was stored, as on SQLite.
enum PostgresJobRows {
    /// `timestamptz` from the millisecond parameter `$n` (NULL stays NULL).
    static func at(_ parameter: Int) -> String {
        "(timestamptz 'epoch' + $\(parameter)::bigint * interval '1 millisecond')"
    }

    /// The unix milliseconds of `column`, named after it.
    static func millis(_ column: String, from table: String = "") -> String {
        "(extract(epoch from \(table)\(column)) * 1000)::bigint AS \(column)"
    }

    static let jobColumns = """
        id, kind, state, dataset, triggered_by, idempotency_key, \(millis("created_at")), \(millis("started_at")), \
        \(millis("finished_at")), worker, bytes_done, bytes_total, items, error, is_cancel_requested, \
        parameters::text AS parameters
        """

    /// The columns of an INSERT, in the order of `parameters(of:)`.
    static let insertColumns = """
        id, kind, state, dataset, triggered_by, idempotency_key, created_at, started_at, finished_at, \
        worker, bytes_done, bytes_total, items, error, is_cancel_requested, parameters
        """

    /// `$1` ... `$16`, with the three dates (`$7`, `$8`, `$9`) turned into `timestamptz`.
    static let insertValues = (1...16).map { index in
        (7...9).contains(index) ? at(index) : index == 16 ? "$16::jsonb" : "$\(index)"
    }.joined(separator: ", ")

    static let stepColumns = "job_id, name, attempt, \(millis("started_at")), \(millis("finished_at")), error"

    static func millis(_ date: Date?) -> PostgresValue {
        date.map { .int($0.unixMillis) } ?? .null
    }

    static func text(_ string: String?) -> PostgresValue {
        string.map(PostgresValue.text) ?? .null
    }

    /// The parameters of an INSERT of every column of `jobColumns`, in its order.
    static func parameters(of job: Job) -> [PostgresValue] {
        [.text(job.id.rawValue), .text(job.kind.rawValue), .text(job.state.rawValue), text(job.dataset),
         .text(job.trigger), text(job.idempotencyKey), millis(job.createdAt), millis(job.startedAt),
         millis(job.finishedAt), text(job.worker), .int(job.bytesDone), job.bytesTotal.map(PostgresValue.int) ?? .null,
         .int(job.items), text(job.error), .bool(job.isCancelRequested), .text(StoredJSONMap.encode(job.parameters))]
    }

    static func decodeJob(_ row: PostgresRow, steps: [JobStep]) throws -> Job {
        let id = JobID(rawValue: try require(row.string("id"), "id"))
        return Job(
            id: id,
            kind: try StoredEnum.decode(JobKind.self, try require(row.string("kind"), "kind"), of: id),
            state: try StoredEnum.decode(JobState.self, try require(row.string("state"), "state"), of: id),
            dataset: try row.string("dataset"),
            trigger: try require(row.string("triggered_by"), "triggered_by"),
            idempotencyKey: try row.string("idempotency_key"),
            parameters: try StoredJSONMap.decode(try require(row.string("parameters"), "parameters"), of: id.rawValue),
            createdAt: Date(unixMillis: try require(row.int("created_at"), "created_at")),
            startedAt: try row.int("started_at").map(Date.init(unixMillis:)),
            finishedAt: try row.int("finished_at").map(Date.init(unixMillis:)),
            worker: try row.string("worker"),
            bytesDone: try require(row.int("bytes_done"), "bytes_done"),
            bytesTotal: try row.int("bytes_total"),
            items: try require(row.int("items"), "items"),
            error: try row.string("error"),
            isCancelRequested: try require(row.bool("is_cancel_requested"), "is_cancel_requested"),
            steps: steps)
    }

    static func decodeStep(_ row: PostgresRow) throws -> JobStep {
        JobStep(
            name: try require(row.string("name"), "name"),
            attempt: Int(try require(row.int("attempt"), "attempt")),
            startedAt: Date(unixMillis: try require(row.int("started_at"), "started_at")),
            finishedAt: try row.int("finished_at").map(Date.init(unixMillis:)),
            error: try row.string("error"))
    }

    /// A text array literal (`{"a","b"}`) of `ids`, for `= ANY($1::text[])`.
    static func arrayLiteral(_ ids: [JobID]) -> String {
        let quoted = ids.map { id in
            "\"" + id.rawValue.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\""
        }
        return "{" + quoted.joined(separator: ",") + "}"
    }

    private static func require<T>(_ value: T?, _ column: String) throws -> T {
        guard let value else {
            throw CatalogError(.storage, "the job catalog holds a row this version cannot read", detail: "NULL in \(column)")
        }
        return value
    }
}
