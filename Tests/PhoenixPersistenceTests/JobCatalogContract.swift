import FoundationEssentials
import PhoenixDomain
import Testing

/// The behaviour every `JobCatalog` implementation must show (STYLE.md: one contract suite per
/// port). Each implementation's suite runs every case once, each in a fresh, empty store.
///
/// `makeCatalog` opens a catalog over that test's store; calling it again opens the same store
/// again, as a restarted process would.
///
/// ```swift
/// @Test func claimTakesTheOldestQueuedJobFirst() async throws {
///     try await JobCatalogContract.claimTakesTheOldestQueuedJobFirst { try await openCatalog() }
/// }
/// ```
enum JobCatalogContract {
    typealias MakeCatalog = @Sendable () async throws -> any JobCatalog & LeaderLease & BackupCatalog & EventLog & ActiveRegionCache

    // MARK: - Enqueue and read back

    static func enqueueAndReadBackEveryFieldAndStep(makeCatalog: MakeCatalog) async throws {
        let catalog = try await makeCatalog()
        let full = JobFixture.jobWithEveryField()
        let minimal = JobFixture.job(.verify, at: 1)

        #expect(try await catalog.enqueue(full) == full)
        #expect(try await catalog.enqueue(minimal) == minimal)
        #expect(try await catalog.job(full.id) == full)
        #expect(try await catalog.job(minimal.id) == minimal)
        #expect(try await catalog.job(JobID.make()) == nil)
    }

    static func enqueueWithAUsedKeyReturnsTheEarlierJob(makeCatalog: MakeCatalog) async throws {
        let catalog = try await makeCatalog()
        let first = try await catalog.enqueue(JobFixture.job(.backup, dataset: "redis_data", at: 1, key: "hook-delivery-1"))
        let retry = JobFixture.job(.drill, at: 2, key: "hook-delivery-1")

        #expect(try await catalog.enqueue(retry) == first)
        #expect(try await catalog.job(retry.id) == nil)
        // Jobs without a key are never merged.
        _ = try await catalog.enqueue(JobFixture.job(at: 3))
        _ = try await catalog.enqueue(JobFixture.job(at: 3))
        #expect(try await catalog.list(JobQuery(limit: 10)).count == 3)
    }

    static func concurrentEnqueuesWithOneKeyStoreOneJob(makeCatalog: MakeCatalog) async throws {
        let catalog = try await makeCatalog()
        let ids = try await withThrowingTaskGroup(of: JobID.self) { group in
            for index in 0..<20 {
                group.addTask {
                    try await catalog.enqueue(JobFixture.job(at: index, key: "same-key")).id
                }
            }
            return try await group.reduce(into: Set<JobID>()) { $0.insert($1) }
        }

        #expect(ids.count == 1)
        let stored = try await catalog.list(JobQuery(limit: 100))
        #expect(stored.map(\.id) == Array(ids))
    }

    // MARK: - Durability

    static func reopenedCatalogKeepsItsJobs(makeCatalog: MakeCatalog) async throws {
        var before: [Job] = []
        do {
            let catalog = try await makeCatalog()
            for index in 0..<3 {
                _ = try await catalog.enqueue(JobFixture.job(dataset: "ds-\(index)", at: index, key: "key-\(index)"))
            }
            let claimed = try #require(try await catalog.claimNext(worker: "w1", now: JobFixture.date(10)))
            try await catalog.recordStep(JobStep(name: "snapshot", attempt: 1, startedAt: JobFixture.date(11)), of: claimed.id)
            try await catalog.updateProgress(of: claimed.id, bytesDone: 10, bytesTotal: 20, items: 1)
            before = try await catalog.list(JobQuery())
        }

        let reopened = try await makeCatalog()
        #expect(try await reopened.list(JobQuery()) == before)
        // Keys, running jobs and the queue survive too.
        let retry = try await reopened.enqueue(JobFixture.job(at: 50, key: "key-1"))
        #expect(before.contains(retry))
        #expect(try await reopened.claimNext(worker: "w2", now: JobFixture.date(60))?.dataset == "ds-1")
    }
}
