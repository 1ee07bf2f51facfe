import FoundationEssentials
import PhoenixDomain

/// Runs the steps of one job: each attempt under the step's timeout, failed attempts retried
/// with backoff, and every attempt recorded in the catalog (name, attempt, start, end, error).
///
/// ```swift
/// let runner = StepRunner(catalog: catalog, job: job.id, clock: ContinuousClock(), now: { wallClock.now() })
/// let count = try await runner.run(StepPolicy(name: "data_restoration", timeout: .minutes(30), retries: 2)) {
///     try await restore()
/// }
/// ```
public struct StepRunner<C: Clock>: Sendable where C.Duration == Duration {
    let catalog: any JobCatalog
    let job: JobID
    let clock: C
    let now: @Sendable () -> Date
    let jitter: @Sendable () -> Double

    /// - Parameters:
    ///   - clock: measures timeouts and backoff (a manual clock in tests).
    ///   - now: the wall clock for the recorded start and end times.
    public init(catalog: any JobCatalog, job: JobID, clock: C, now: @escaping @Sendable () -> Date,
                jitter: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }) {
        self.catalog = catalog
        self.job = job
        self.clock = clock
        self.now = now
        self.jitter = jitter
    }

    /// Runs `body` under `policy`; returns its value from the first attempt that succeeds.
    /// - Throws: `StepFailure` when every attempt failed or timed out, `CancellationError` when
    ///   the job was cancelled (never retried).
    public func run<T: Sendable>(_ policy: StepPolicy, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let attempts = policy.retries + 1
        var lastError = ""
        for attempt in 1...attempts {
            try Task.checkCancellation()
            if attempt > 1 { try await clock.sleep(for: policy.backoff(beforeAttempt: attempt, jitter: jitter())) }
            var step = JobStep(name: policy.name, attempt: attempt, startedAt: now())
            try await catalog.recordStep(step, of: job)
            do {
                let value = try await withTimeout(policy) { try await body() }
                step.finishedAt = now()
                try await catalog.recordStep(step, of: job)
                return value
            } catch {
                step.finishedAt = now()
                step.error = "\(error)"
                try await catalog.recordStep(step, of: job)
                if error is CancellationError || Task.isCancelled { throw CancellationError() }
                lastError = "\(error)"
            }
        }
        throw StepFailure.exhausted(step: policy.name, attempts: attempts, lastError: lastError)
    }

    /// Races `body` against the step's timeout; the loser is cancelled.
    private func withTimeout<T: Sendable>(_ policy: StepPolicy, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await clock.sleep(for: policy.timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else {
                throw StepFailure.timedOut(step: policy.name, after: policy.timeout)
            }
            return value
        }
    }
}
