import FoundationEssentials

/// A filter and page of `JobCatalog.list`.
public struct JobQuery: Sendable, Equatable {
    public var kind: JobKind?
    public var state: JobState?
    public var dataset: String?
    /// Only jobs whose idempotency key starts with this text (the scheduler finds its own jobs by
    /// their `schedule:<dataset>:` keys).
    public var keyPrefix: String?
    /// Jobs created before this cursor (the last id of the previous page), newest first.
    public var after: JobID?
    public var limit: Int

    public init(kind: JobKind? = nil, state: JobState? = nil, dataset: String? = nil, keyPrefix: String? = nil,
                after: JobID? = nil, limit: Int = 50) {
        self.kind = kind
        self.state = state
        self.dataset = dataset
        self.keyPrefix = keyPrefix
        self.after = after
        self.limit = limit
    }
}

/// The durable job queue and history (DESIGN.md §1.5): SQLite for one instance, PostgreSQL for
/// several. Every implementation passes the same contract suite.
public protocol JobCatalog: Sendable {
    /// Stores a new queued job. With an idempotency key already used, returns the earlier job
    /// instead (and stores nothing).
    func enqueue(_ job: Job) async throws -> Job

    /// Atomically claims the oldest queued job whose dataset has no running job, marking it
    /// running by `worker` at `now`; nil when none is claimable.
    func claimNext(worker: String, now: Date) async throws -> Job?

    /// The job with `id`, with its steps.
    func job(_ id: JobID) async throws -> Job?

    /// Jobs matching `query`, newest first.
    func list(_ query: JobQuery) async throws -> [Job]

    /// Records a step attempt (insert or update by name and attempt).
    func recordStep(_ step: JobStep, of id: JobID) async throws

    /// Updates progress of a running job.
    func updateProgress(of id: JobID, bytesDone: Int64, bytesTotal: Int64?, items: Int64) async throws

    /// Ends a job in a terminal state. Fails if the job is already terminal.
    func finish(_ id: JobID, state: JobState, error: String?, now: Date) async throws

    /// Asks a job to stop: a queued job becomes cancelled at once; a running one is flagged.
    /// Returns the job after the change, nil if unknown.
    func requestCancel(_ id: JobID, now: Date) async throws -> Job?

    /// Marks every job `running` on `worker` (or on any worker when nil) as `interrupted`:
    /// called at start-up so no job stays running after its process died. Returns the count.
    func interruptRunning(worker: String?, now: Date) async throws -> Int

    /// Records that the worker running job `id` is alive, and tells whether cancellation was
    /// asked for. Throws `.notFound` for an unknown job and `.alreadyFinished` once it has ended.
    func heartbeat(_ id: JobID, now: Date) async throws -> Bool

    /// Marks `interrupted` every running job whose worker last reported (heartbeat, or claim)
    /// before `silentSince`: with several instances on one catalog, the leader sweeps up the jobs
    /// of an instance that died. Returns the count.
    func interruptSilent(since silentSince: Date, now: Date) async throws -> Int
}

/// Errors of catalog implementations.
public struct CatalogError: Error, Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public enum Code: String, Sendable {
        case notFound = "not_found"
        case alreadyFinished = "already_finished"
        case storage
    }

    public var code: Code
    /// Safe to show a client: no SQL, no connection string.
    public var message: String
    /// For logs only, never for a client: what the storage engine said (it may quote SQL).
    public var detail: String?

    public init(_ code: Code, _ message: String, detail: String? = nil) {
        self.code = code
        self.message = message
        self.detail = detail
    }

    public var description: String { message }

    /// The code, the message and the storage engine's detail, for logs.
    public var debugDescription: String {
        guard let detail else { return "\(code.rawValue): \(message)" }
        return "\(code.rawValue): \(message) (\(detail))"
    }
}
