import FoundationEssentials
import PhoenixDomain
import Testing

extension JobCatalogContract {
    // MARK: - Steps and progress

    static func recordStepUpsertsByNameAndAttempt(makeCatalog: MakeCatalog) async throws {
        let catalog = try await makeCatalog()
        let job = try await catalog.enqueue(JobFixture.job(.recovery, at: 1))
        let date = JobFixture.date
        try await catalog.recordStep(JobStep(name: "backup_validation", attempt: 1, startedAt: date(2, 0)), of: job.id)
        let failed = JobStep(name: "backup_validation", attempt: 1, startedAt: date(2, 0), finishedAt: date(3, 0), error: "timeout")
        try await catalog.recordStep(failed, of: job.id)
        let retried = JobStep(name: "backup_validation", attempt: 2, startedAt: date(4, 0), finishedAt: date(5, 0))
        try await catalog.recordStep(retried, of: job.id)
        let restoring = JobStep(name: "data_restoration", attempt: 1, startedAt: date(6, 0))
        try await catalog.recordStep(restoring, of: job.id)

        #expect(try await catalog.job(job.id)?.steps == [failed, retried, restoring])
        let unknown = await #expect(throws: CatalogError.self) {
            try await catalog.recordStep(restoring, of: JobID.make())
        }
        #expect(unknown?.code == .notFound)
    }

    static func updateProgressChangesCountersUntilTheJobEnds(makeCatalog: MakeCatalog) async throws {
        let catalog = try await makeCatalog()
        let job = try await catalog.enqueue(JobFixture.job(at: 1))
        _ = try await catalog.claimNext(worker: "w1", now: JobFixture.date(2))
        try await catalog.updateProgress(of: job.id, bytesDone: 1_048_576, bytesTotal: nil, items: 3)
        try await catalog.updateProgress(of: job.id, bytesDone: 4_194_304, bytesTotal: 8_388_608, items: 9)

        let updated = try #require(try await catalog.job(job.id))
        #expect((updated.bytesDone, updated.bytesTotal, updated.items) == (4_194_304, 8_388_608, 9))
        try await catalog.finish(job.id, state: .succeeded, error: nil, now: JobFixture.date(3))
        let afterEnd = await #expect(throws: CatalogError.self) {
            try await catalog.updateProgress(of: job.id, bytesDone: 1, bytesTotal: 1, items: 1)
        }
        #expect(afterEnd?.code == .alreadyFinished)
        let unknown = await #expect(throws: CatalogError.self) {
            try await catalog.updateProgress(of: JobID.make(), bytesDone: 1, bytesTotal: 1, items: 1)
        }
        #expect(unknown?.code == .notFound)
    }

    // MARK: - Finishing

    static func finishEndsAJobOnceAndRejectsUnknownOnes(makeCatalog: MakeCatalog) async throws {
        let catalog = try await makeCatalog()
        let job = try await catalog.enqueue(JobFixture.job(dataset: "redis_data", at: 1))
        let neverClaimed = try await catalog.enqueue(JobFixture.job(at: 2))
        _ = try await catalog.claimNext(worker: "w1", now: JobFixture.date(3))
        try await catalog.finish(job.id, state: .partiallyFailed, error: "1 of 3 keys failed", now: JobFixture.date(4))
        try await catalog.finish(neverClaimed.id, state: .failed, error: "dataset removed", now: JobFixture.date(5))

        let finished = try #require(try await catalog.job(job.id))
        #expect(finished.state == .partiallyFailed)
        #expect(finished.error == "1 of 3 keys failed")
        #expect(finished.finishedAt == JobFixture.date(4))
        #expect(finished.startedAt == JobFixture.date(3))
        #expect(try await catalog.job(neverClaimed.id)?.state == .failed)

        let again = await #expect(throws: CatalogError.self) {
            try await catalog.finish(job.id, state: .succeeded, error: nil, now: JobFixture.date(6))
        }
        #expect(again?.code == .alreadyFinished)
        #expect(try await catalog.job(job.id) == finished)
        let unknown = await #expect(throws: CatalogError.self) {
            try await catalog.finish(JobID.make(), state: .succeeded, error: nil, now: JobFixture.date(6))
        }
        #expect(unknown?.code == .notFound)
    }
}
