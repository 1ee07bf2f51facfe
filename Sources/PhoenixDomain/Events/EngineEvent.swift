import FoundationEssentials

/// How much an event matters to an operator reading the history.
public enum EventSeverity: String, Sendable, Codable, CaseIterable, Comparable {
    case info, warning, error

    private var rank: Int {
        switch self {
        case .info: 0
        case .warning: 1
        case .error: 2
        }
    }

    public static func < (lhs: EventSeverity, rhs: EventSeverity) -> Bool { lhs.rank < rhs.rank }
}

/// One entry of the append-only history of jobs and automation: a job changed state, this
/// instance gained or lost the leader lease, a schedule was caught up.
public struct EngineEvent: Sendable, Equatable {
    /// Assigned by the catalog when the event is appended (0 before): grows with every append, so
    /// it orders the history and serves as the list cursor.
    public var id: Int64
    /// When it happened, on the recording instance's wall clock.
    public var time: Date
    /// A dotted name such as `job.finished` or `lease.acquired`.
    public var kind: String
    /// What it is about: a job id, a dataset, a lease name.
    public var subject: String
    public var severity: EventSeverity
    /// One line for people; never holds a secret.
    public var message: String
    /// Machine-readable facts (a JSON object of strings), e.g. `{"state": "failed"}`.
    public var details: [String: String]

    public init(id: Int64 = 0, time: Date, kind: String, subject: String, severity: EventSeverity = .info,
                message: String, details: [String: String] = [:]) {
        self.id = id
        self.time = time
        self.kind = kind
        self.subject = subject
        self.severity = severity
        self.message = message
        self.details = details
    }
}

/// A filter and page of `EventLog.events`.
public struct EventQuery: Sendable, Equatable {
    public var kind: String?
    public var subject: String?
    /// Only events at least this severe.
    public var minimumSeverity: EventSeverity?
    /// Events appended before this cursor (the last id of the previous page), newest first.
    public var before: Int64?
    public var limit: Int

    public init(kind: String? = nil, subject: String? = nil, minimumSeverity: EventSeverity? = nil,
                before: Int64? = nil, limit: Int = 50) {
        self.kind = kind
        self.subject = subject
        self.minimumSeverity = minimumSeverity
        self.before = before
        self.limit = limit
    }
}

/// The history of jobs and automation, kept in the catalog (append-only; old entries pruned).
public protocol EventLog: Sendable {
    /// Appends `event` and returns it with the id the catalog gave it.
    func appendEvent(_ event: EngineEvent) async throws -> EngineEvent

    /// Events matching `query`, newest first.
    func events(_ query: EventQuery) async throws -> [EngineEvent]

    /// Deletes the events that happened before `cutoff`; returns how many.
    func pruneEvents(before cutoff: Date) async throws -> Int
}

extension EventLog {
    /// Appends an event, logging nothing and throwing nothing: a history entry that cannot be
    /// written must not fail the job or the lease renewal that caused it.
    public func recordEvent(_ event: EngineEvent) async -> Bool {
        (try? await appendEvent(event)) != nil
    }
}
