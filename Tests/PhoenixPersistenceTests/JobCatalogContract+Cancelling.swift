import FoundationEssentials
import PhoenixDomain
import Testing

extension JobCatalogContract {
    // MARK: - Cancellation

    static func requestCancelCancelsAQueuedJobAtOnce(makeCatalog: MakeCatalog) async throws {
        let catalog = try await makeCatalog()
        let job = try await catalog.enqueue(JobFixture.job(at: 1))

        let cancelled = try #require(try await catalog.requestCancel(job.id, now: JobFixture.date(2)))
        #expect(cancelled.state == .cancelled)
        #expect(cancelled.finishedAt == JobFixture.date(2))
        #expect(cancelled.isCancelRequested)
        #expect(try await catalog.job(job.id) == cancelled)
        #expect(try await catalog.claimNext(worker: "w1", now: JobFixture.date(3)) == nil)
    }

    static func requestCancelFlagsARunningJob(makeCatalog: MakeCatalog) async throws {
        let catalog = try await makeCatalog()
        let job = try await catalog.enqueue(JobFixture.job(dataset: "vault", at: 1))
        let running = try #require(try await catalog.claimNext(worker: "w1", now: JobFixture.date(2)))

        let flagged = try #require(try await catalog.requestCancel(job.id, now: JobFixture.date(3)))
        var expected = running
        expected.isCancelRequested = true
        #expect(flagged == expected)
        #expect(try await catalog.job(job.id) == expected)
        // The worker sees the flag, stops, and ends the job.
        try await catalog.finish(job.id, state: .cancelled, error: "cancelled", now: JobFixture.date(4))
        #expect(try await catalog.job(job.id)?.state == .cancelled)
    }

    static func requestCancelLeavesAnEndedJobUnchanged(makeCatalog: MakeCatalog) async throws {
        let catalog = try await makeCatalog()
        for (index, state) in JobState.allCases.filter(\.isTerminal).enumerated() {
            let job = try await catalog.enqueue(JobFixture.job(at: index))
            _ = try await catalog.claimNext(worker: "w1", now: JobFixture.date(100))
            try await catalog.finish(job.id, state: state, error: nil, now: JobFixture.date(101))
            let ended = try await catalog.job(job.id)

            #expect(try await catalog.requestCancel(job.id, now: JobFixture.date(102)) == ended)
            #expect(try await catalog.job(job.id) == ended)
        }
        #expect(try await catalog.requestCancel(JobID.make(), now: JobFixture.date(103)) == nil)
    }

    // MARK: - Interrupting

    static func interruptRunningMarksTheJobsOfOneWorker(makeCatalog: MakeCatalog) async throws {
        let catalog = try await makeCatalog()
        let setup = try await runningJobsOfTwoWorkers(catalog)

        #expect(try await catalog.interruptRunning(worker: "dead", now: JobFixture.date(20)) == 2)
        for id in setup.dead {
            let job = try #require(try await catalog.job(id))
            #expect(job.state == .interrupted)
            #expect(job.finishedAt == JobFixture.date(20))
            #expect(job.worker == "dead")
        }
        #expect(try await catalog.job(setup.alive)?.state == .running)
        #expect(try await catalog.job(setup.queued)?.state == .queued)
        #expect(try await catalog.job(setup.ended)?.state == .succeeded)
        #expect(try await catalog.interruptRunning(worker: "dead", now: JobFixture.date(21)) == 0)
        #expect(try await catalog.interruptRunning(worker: "nobody", now: JobFixture.date(21)) == 0)
    }

    static func interruptRunningWithoutAWorkerMarksEveryRunningJob(makeCatalog: MakeCatalog) async throws {
        let catalog = try await makeCatalog()
        let setup = try await runningJobsOfTwoWorkers(catalog)

        #expect(try await catalog.interruptRunning(worker: nil, now: JobFixture.date(20)) == 3)
        for id in setup.dead + [setup.alive] {
            #expect(try await catalog.job(id)?.state == .interrupted)
        }
        #expect(try await catalog.job(setup.ended)?.state == .succeeded)
        #expect(try await catalog.interruptRunning(worker: nil, now: JobFixture.date(21)) == 0)
        // An interrupted job no longer holds its dataset.
        #expect(try await catalog.claimNext(worker: "w3", now: JobFixture.date(22))?.id == setup.queued)
    }

    /// Two running jobs on worker "dead", one on "alive", one ended, and one queued behind the
    /// dead worker's dataset.
    private static func runningJobsOfTwoWorkers(_ catalog: any JobCatalog)
        async throws -> (dead: [JobID], alive: JobID, ended: JobID, queued: JobID) {
        let ended = try await catalog.enqueue(JobFixture.job(at: 0))
        _ = try await catalog.claimNext(worker: "dead", now: JobFixture.date(10))
        try await catalog.finish(ended.id, state: .succeeded, error: nil, now: JobFixture.date(11))
        let dead1 = try await catalog.enqueue(JobFixture.job(dataset: "redis_data", at: 1))
        let dead2 = try await catalog.enqueue(JobFixture.job(at: 2))
        let alive = try await catalog.enqueue(JobFixture.job(dataset: "git", at: 3))
        let queued = try await catalog.enqueue(JobFixture.job(.verify, dataset: "redis_data", at: 4))
        _ = try await catalog.claimNext(worker: "dead", now: JobFixture.date(12))
        _ = try await catalog.claimNext(worker: "dead", now: JobFixture.date(12))
        _ = try await catalog.claimNext(worker: "alive", now: JobFixture.date(13))
        #expect(try await catalog.claimNext(worker: "alive", now: JobFixture.date(14)) == nil)
        return ([dead1.id, dead2.id], alive.id, ended.id, queued.id)
    }
}
