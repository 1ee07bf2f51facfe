import PhoenixDomain
import PhoenixPersistence
import Testing

/// The job catalog contract, run against SQLite: each test gets its own file in a temporary folder.
@Suite struct SQLiteJobCatalogTests {
    @Test func enqueueAndReadBackEveryFieldAndStep() async throws {
        try await onFreshFile(JobCatalogContract.enqueueAndReadBackEveryFieldAndStep)
    }

    @Test func enqueueWithAUsedKeyReturnsTheEarlierJob() async throws {
        try await onFreshFile(JobCatalogContract.enqueueWithAUsedKeyReturnsTheEarlierJob)
    }

    @Test func concurrentEnqueuesWithOneKeyStoreOneJob() async throws {
        try await onFreshFile(JobCatalogContract.concurrentEnqueuesWithOneKeyStoreOneJob)
    }

    @Test func reopenedCatalogKeepsItsJobs() async throws {
        try await onFreshFile(JobCatalogContract.reopenedCatalogKeepsItsJobs)
    }

    @Test func claimTakesTheOldestQueuedJobFirst() async throws {
        try await onFreshFile(JobCatalogContract.claimTakesTheOldestQueuedJobFirst)
    }

    @Test func claimSkipsDatasetsWithARunningJob() async throws {
        try await onFreshFile(JobCatalogContract.claimSkipsDatasetsWithARunningJob)
    }

    @Test func concurrentWorkersClaimEachOfAThousandJobsOnce() async throws {
        try await onFreshFile(JobCatalogContract.concurrentWorkersClaimEachOfAThousandJobsOnce)
    }

    @Test func listFiltersJobsAndShowsTheNewestFirst() async throws {
        try await onFreshFile(JobCatalogContract.listFiltersJobsAndShowsTheNewestFirst)
    }

    @Test func cursorPagesCoverEveryJobOnce() async throws {
        try await onFreshFile(JobCatalogContract.cursorPagesCoverEveryJobOnce)
    }

    @Test func recordStepUpsertsByNameAndAttempt() async throws {
        try await onFreshFile(JobCatalogContract.recordStepUpsertsByNameAndAttempt)
    }

    @Test func updateProgressChangesCountersUntilTheJobEnds() async throws {
        try await onFreshFile(JobCatalogContract.updateProgressChangesCountersUntilTheJobEnds)
    }

    @Test func finishEndsAJobOnceAndRejectsUnknownOnes() async throws {
        try await onFreshFile(JobCatalogContract.finishEndsAJobOnceAndRejectsUnknownOnes)
    }

    @Test func requestCancelCancelsAQueuedJobAtOnce() async throws {
        try await onFreshFile(JobCatalogContract.requestCancelCancelsAQueuedJobAtOnce)
    }

    @Test func requestCancelFlagsARunningJob() async throws {
        try await onFreshFile(JobCatalogContract.requestCancelFlagsARunningJob)
    }

    @Test func requestCancelLeavesAnEndedJobUnchanged() async throws {
        try await onFreshFile(JobCatalogContract.requestCancelLeavesAnEndedJobUnchanged)
    }

    @Test func interruptRunningMarksTheJobsOfOneWorker() async throws {
        try await onFreshFile(JobCatalogContract.interruptRunningMarksTheJobsOfOneWorker)
    }

    @Test func interruptRunningWithoutAWorkerMarksEveryRunningJob() async throws {
        try await onFreshFile(JobCatalogContract.interruptRunningWithoutAWorkerMarksEveryRunningJob)
    }

    /// Runs `contractCase` with catalogs opened on one new file, removed afterwards.
    private func onFreshFile(
        _ contractCase: (_ makeCatalog: JobCatalogContract.MakeCatalog) async throws -> Void
    ) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/catalog.sqlite"
        try await contractCase { try await SQLiteJobCatalog(path: path) }
    }
}
