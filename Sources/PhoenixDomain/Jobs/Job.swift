import FoundationEssentials

/// What a job does.
public enum JobKind: String, Sendable, Codable, CaseIterable {
    case backup, verify, recovery, failover, switchover, failback, drill, retention
    /// Rebuilds the backup index from the manifests in a store.
    case catalogSync = "catalog_sync"
}

/// Where a job is in its life. Terminal states never change again.
public enum JobState: String, Sendable, Codable, CaseIterable {
    case queued, running, succeeded
    case partiallyFailed = "partially_failed"
    case failed, cancelled, interrupted

    /// Whether the job has ended.
    public var isTerminal: Bool {
        switch self {
        case .queued, .running: false
        default: true
        }
    }
}

/// One attempt of one step of a job (seed §7.2: each step has a timeout and retries).
public struct JobStep: Sendable, Codable, Equatable {
    public var name: String
    public var attempt: Int
    public var startedAt: Date
    public var finishedAt: Date?
    /// Nil while running or on success.
    public var error: String?

    public init(name: String, attempt: Int, startedAt: Date, finishedAt: Date? = nil, error: String? = nil) {
        self.name = name
        self.attempt = attempt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.error = error
    }
}

/// A unit of work: persisted when triggered, claimed by one worker, run as steps.
public struct Job: Sendable, Codable, Equatable, Identifiable {
    public var id: JobID
    public var kind: JobKind
    public var state: JobState
    /// The dataset the job acts on, if any; at most one job per dataset runs at a time.
    public var dataset: String?
    /// Who or what started it: `schedule`, `api:<token name>`, `webhook:<hook>`.
    public var trigger: String
    public var idempotencyKey: String?
    /// What the job acts on beyond its dataset: `backup_id` for a verify, labels for a backup.
    public var parameters: [String: String]
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    /// The instance that claimed it.
    public var worker: String?
    public var bytesDone: Int64
    public var bytesTotal: Int64?
    public var items: Int64
    public var error: String?
    /// Whether cancellation was asked for; the running step sees it.
    public var isCancelRequested: Bool
    public var steps: [JobStep]

    public init(id: JobID = .make(), kind: JobKind, state: JobState = .queued, dataset: String? = nil, trigger: String,
                idempotencyKey: String? = nil, parameters: [String: String] = [:], createdAt: Date, startedAt: Date? = nil, finishedAt: Date? = nil,
                worker: String? = nil, bytesDone: Int64 = 0, bytesTotal: Int64? = nil, items: Int64 = 0,
                error: String? = nil, isCancelRequested: Bool = false, steps: [JobStep] = []) {
        self.id = id
        self.kind = kind
        self.state = state
        self.dataset = dataset
        self.trigger = trigger
        self.idempotencyKey = idempotencyKey
        self.parameters = parameters
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.worker = worker
        self.bytesDone = bytesDone
        self.bytesTotal = bytesTotal
        self.items = items
        self.error = error
        self.isCancelRequested = isCancelRequested
        self.steps = steps
    }
}
