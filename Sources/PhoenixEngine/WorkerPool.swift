import FoundationEssentials
import Logging
import PhoenixDomain
import ServiceLifecycle

/// Claims queued jobs and runs them with their kind's handler, `concurrency` at a time.
///
/// A cancellation requested through the catalog reaches the running step (its task is
/// cancelled); a job cut short by shutdown ends `interrupted`, never stays `running`.
public final class WorkerPool: Service {
    public struct Settings: Sendable {
        public var workerID: String
        public var concurrency: Int = 2
        /// How long an idle worker waits before looking for work again.
        public var pollInterval: Duration = .seconds(1)
        /// How often a running job reports that its worker is alive, and reads its cancel flag.
        public var heartbeatInterval: Duration = .seconds(1)
        /// Runs after every job. The server hands the heap a job freed back to the system here:
        /// a backup's buffers would otherwise stay in the process, and each later run would
        /// start from a higher resident size.
        public var afterJob: (@Sendable () -> Void)?

        public init(workerID: String) {
            self.workerID = workerID
        }
    }

    let catalog: any JobCatalog
    let handlers: [JobKind: any JobHandler]
    let settings: Settings
    let now: @Sendable () -> Date
    let logger: Logger
    /// Signalled when this instance queues a job; idle workers then claim at once.
    let wakeup: JobWakeup?
    /// Where job state changes are recorded (`job.started`, `job.finished`), if anywhere.
    let events: EventRecorder?

    public init(catalog: any JobCatalog, handlers: [JobKind: any JobHandler], settings: Settings,
                now: @escaping @Sendable () -> Date, wakeup: JobWakeup? = nil, events: EventRecorder? = nil, logger: Logger) {
        self.catalog = catalog
        self.handlers = handlers
        self.settings = settings
        self.now = now
        self.wakeup = wakeup
        self.events = events
        self.logger = logger
    }

    public func run() async throws {
        await withDiscardingTaskGroup { group in
            for _ in 0..<max(1, settings.concurrency) {
                group.addTask { await self.workLoop() }
            }
            // Graceful shutdown cancels the loops; the job in flight ends `interrupted`.
            try? await gracefulShutdown()
            group.cancelAll()
        }
    }

    private func workLoop() async {
        while !Task.isCancelled {
            do {
                if let job = try await catalog.claimNext(worker: settings.workerID, now: now()) {
                    await execute(job)
                } else if let wakeup {
                    await wakeup.wait(upTo: settings.pollInterval)
                    try Task.checkCancellation()
                } else {
                    try await Task.sleep(for: settings.pollInterval)
                }
            } catch is CancellationError {
                return
            } catch {
                logger.error("job queue unavailable", metadata: ["error.type": "\(error)"])
                try? await Task.sleep(for: settings.pollInterval)
            }
        }
    }

    /// Runs one claimed job to a terminal state.
    public func execute(_ job: Job) async {
        var log = logger
        log[metadataKey: "job.id"] = "\(job.id)"
        log[metadataKey: "job.kind"] = "\(job.kind.rawValue)"
        log.info("job started")
        await events?.record("job.started", subject: job.id.rawValue, message: "\(job.kind.rawValue) job started on \(settings.workerID)",
                             details: JobEventDetails.of(job, worker: settings.workerID))
        guard let handler = handlers[job.kind] else {
            await finish(job, .failed, error: "no handler for \(job.kind.rawValue) jobs in this build", log: log)
            return
        }
        defer { settings.afterJob?() }
        let context = JobContext(catalog: catalog, logger: log,
                                 steps: StepRunner(catalog: catalog, job: job.id, clock: ContinuousClock(), now: now))
        let work = Task { try await handler.run(job, context: context) }
        let watcher = Task { await heartbeat(job.id, cancelling: work, log: log) }
        let result = await withTaskCancellationHandler { await work.result } onCancel: { work.cancel() }
        watcher.cancel()
        switch result {
        case .success(.succeeded):
            await finish(job, .succeeded, error: nil, log: log)
        case .success(.partiallyFailed(let reason)):
            await finish(job, .partiallyFailed, error: reason, log: log)
        case .failure(let error) where error is CancellationError:
            let requested = (try? await catalog.job(job.id))?.isCancelRequested ?? false
            await finish(job, requested ? .cancelled : .interrupted, error: requested ? "cancelled" : "stopped by shutdown", log: log)
        case .failure(let error):
            await finish(job, .failed, error: "\(error)", log: log)
        }
    }

    /// Reports the job alive every `heartbeatInterval` and cancels its work when asked to.
    private func heartbeat(_ id: JobID, cancelling work: Task<JobOutcome, any Error>, log: Logger) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: settings.heartbeatInterval)
            guard !Task.isCancelled else { return }
            do {
                if try await catalog.heartbeat(id, now: now()) {
                    work.cancel()
                    return
                }
            } catch is CancellationError {
                return
            } catch let error as CatalogError where error.code == .alreadyFinished {
                // The leader took this worker for dead and ended the job: it is no longer ours.
                log.warning("job ended elsewhere; stopping its work")
                work.cancel()
                return
            } catch {
                log.warning("job heartbeat not recorded", metadata: ["error.type": "\(error)"])
            }
        }
    }

    private func finish(_ job: Job, _ state: JobState, error: String?, log: Logger) async {
        do {
            try await catalog.finish(job.id, state: state, error: error, now: now())
            log.info("job finished", metadata: ["job.state": "\(state.rawValue)"])
            var details = JobEventDetails.of(job, worker: settings.workerID)
            details["state"] = state.rawValue
            if let error { details["error"] = error }
            await events?.record("job.finished", subject: job.id.rawValue, severity: JobEventDetails.severity(of: state),
                                 message: "\(job.kind.rawValue) job \(state.rawValue)", details: details)
        } catch {
            log.error("job state not recorded", metadata: ["job.state": "\(state.rawValue)", "error.type": "\(error)"])
        }
    }
}
