import FoundationEssentials
import Logging
import PhoenixDomain
import PhoenixEngine
import PhoenixPersistence
import Testing

/// A handler whose behaviour the test picks.
struct ScriptedHandler: JobHandler {
    let body: @Sendable (Job, JobContext) async throws -> JobOutcome
    func run(_ job: Job, context: JobContext) async throws -> JobOutcome { try await body(job, context) }
}

private let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
private let fixedNow: @Sendable () -> Date = { Date(timeIntervalSince1970: 1_780_000_000) }

private func pool(_ catalog: any JobCatalog, _ handlers: [JobKind: any JobHandler]) -> WorkerPool {
    var settings = WorkerPool.Settings(workerID: "test-worker")
    settings.heartbeatInterval = .milliseconds(20)
    return WorkerPool(catalog: catalog, handlers: handlers, settings: settings, now: fixedNow, logger: quiet)
}

private func claimAndRun(_ catalog: SQLiteJobCatalog, _ workers: WorkerPool) async throws -> Job {
    let claimed = try #require(try await catalog.claimNext(worker: "test-worker", now: fixedNow()))
    await workers.execute(claimed)
    return try #require(try await catalog.job(claimed.id))
}

@Suite struct WorkerPoolTests {
    @Test func outcomesBecomeTerminalStates() async throws {
        let catalog = try await SQLiteJobCatalog.makeTemporary()
        let workers = pool(catalog, [
            .verify: ScriptedHandler { _, _ in .succeeded },
            .drill: ScriptedHandler { _, _ in .partiallyFailed("2 of 5 checks failed") },
            .retention: ScriptedHandler { _, _ in throw Flaky(attempt: 1) },
        ])
        for kind in [JobKind.verify, .drill, .retention, .failback] {
            _ = try await catalog.enqueue(Job(kind: kind, trigger: "test", createdAt: fixedNow()))
        }
        var finished: [JobKind: Job] = [:]
        for _ in 0..<4 {
            let job = try await claimAndRun(catalog, workers)
            finished[job.kind] = job
        }
        #expect(finished[.verify]?.state == .succeeded)
        #expect(finished[.drill]?.state == .partiallyFailed)
        #expect(finished[.drill]?.error == "2 of 5 checks failed")
        #expect(finished[.retention]?.state == .failed)
        #expect(finished[.retention]?.error == "flaky failure 1")
        #expect(finished[.failback]?.state == .failed, "a kind with no handler is a failure, never a success")
        #expect(finished.values.allSatisfy { $0.finishedAt != nil })
    }

    @Test func aCancelRequestReachesTheRunningStep() async throws {
        let catalog = try await SQLiteJobCatalog.makeTemporary()
        let started = Counter()
        let workers = pool(catalog, [
            .recovery: ScriptedHandler { _, context in
                try await context.steps.run(StepPolicy(name: "data_restoration", timeout: .seconds(60), retries: 2)) {
                    started.next()
                    try await Task.sleep(for: .seconds(60))
                }
                return .succeeded
            },
        ])
        let job = try await catalog.enqueue(Job(kind: .recovery, trigger: "test", createdAt: fixedNow()))
        let claimed = try #require(try await catalog.claimNext(worker: "test-worker", now: fixedNow()))
        async let run: Void = workers.execute(claimed)
        while started.count == 0 { try await Task.sleep(for: .milliseconds(5)) }
        _ = try await catalog.requestCancel(job.id, now: fixedNow())
        await run
        let finished = try #require(try await catalog.job(job.id))
        #expect(finished.state == .cancelled)
        #expect(finished.steps.count == 1, "a cancelled step is not retried")
    }

    @Test func theServiceClaimsQueuedJobsUntilCancelled() async throws {
        let catalog = try await SQLiteJobCatalog.makeTemporary()
        let workers = pool(catalog, [.verify: ScriptedHandler { _, _ in .succeeded }])
        for _ in 0..<5 { _ = try await catalog.enqueue(Job(kind: .verify, trigger: "test", createdAt: fixedNow())) }
        let service = Task { try await workers.run() }
        let deadline = ContinuousClock.now + .seconds(10)
        while try await catalog.list(JobQuery(state: .succeeded)).count < 5 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        service.cancel()
        _ = await service.result
        #expect(try await catalog.list(JobQuery(state: .succeeded)).count == 5)
    }
}
