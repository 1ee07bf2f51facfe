import FoundationEssentials
import Logging
import PhoenixDomain

/// How a job ended, as its handler reports it. Any thrown error means `failed`.
public enum JobOutcome: Sendable, Equatable {
    case succeeded
    /// Some parts failed (DESIGN.md §1.3: never green when anything failed).
    case partiallyFailed(String)
}

/// What a handler gets besides its job.
public struct JobContext: Sendable {
    public var catalog: any JobCatalog
    public var logger: Logger
    /// Runs a step with timeout, retries and recording (see `StepRunner`).
    public var steps: StepRunner<ContinuousClock>
}

/// Runs jobs of one kind (backup, verify, recovery, ...).
public protocol JobHandler: Sendable {
    func run(_ job: Job, context: JobContext) async throws -> JobOutcome
}
