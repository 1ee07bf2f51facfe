import FoundationEssentials
import PhoenixDomain
import Testing

extension JobCatalogContract {
    static func claimTakesTheOldestQueuedJobFirst(makeCatalog: MakeCatalog) async throws {
        let catalog = try await makeCatalog()
        #expect(try await catalog.claimNext(worker: "w1", now: JobFixture.date(0)) == nil)
        let third = try await catalog.enqueue(JobFixture.job(at: 3))
        let first = try await catalog.enqueue(JobFixture.job(at: 1))
        let cancelled = try await catalog.enqueue(JobFixture.job(at: 0))
        let second = try await catalog.enqueue(JobFixture.job(at: 2))
        _ = try await catalog.requestCancel(cancelled.id, now: JobFixture.date(4))

        var claimedIDs: [JobID] = []
        while let job = try await catalog.claimNext(worker: "w1", now: JobFixture.date(100)) {
            #expect(job.state == .running)
            #expect(job.worker == "w1")
            #expect(job.startedAt == JobFixture.date(100))
            #expect(try await catalog.job(job.id) == job)
            claimedIDs.append(job.id)
        }
        #expect(claimedIDs == [first.id, second.id, third.id])
    }

    static func claimSkipsDatasetsWithARunningJob(makeCatalog: MakeCatalog) async throws {
        let catalog = try await makeCatalog()
        let a1 = try await catalog.enqueue(JobFixture.job(dataset: "a", at: 1))
        let a2 = try await catalog.enqueue(JobFixture.job(.verify, dataset: "a", at: 2))
        let b1 = try await catalog.enqueue(JobFixture.job(dataset: "b", at: 3))
        let free1 = try await catalog.enqueue(JobFixture.job(.retention, at: 4))
        let free2 = try await catalog.enqueue(JobFixture.job(.retention, at: 5))
        let claim = { try await catalog.claimNext(worker: "w1", now: JobFixture.date(10))?.id }

        #expect(try await claim() == a1.id)
        #expect(try await claim() == b1.id)
        // Jobs without a dataset are never blocked, not even by each other.
        #expect(try await claim() == free1.id)
        #expect(try await claim() == free2.id)
        #expect(try await claim() == nil)

        try await catalog.finish(a1.id, state: .succeeded, error: nil, now: JobFixture.date(11))
        #expect(try await claim() == a2.id)
    }

    static func concurrentWorkersClaimEachOfAThousandJobsOnce(makeCatalog: MakeCatalog) async throws {
        try await claimEveryJobOnce(across: [try await makeCatalog()], total: 1_000)
    }

    /// Queues `total` jobs, then lets four workers spread over `catalogs` claim and finish them
    /// all, checking that each job is claimed once and no dataset runs twice at a time.
    static func claimEveryJobOnce(across catalogs: [any JobCatalog], total: Int) async throws {
        for index in 0..<total {
            // A quarter have no dataset; the rest share two, fewer than the workers, so they contend.
            let dataset = index % 4 == 0 ? nil : "ds-\(index % 2)"
            _ = try await catalogs[index % catalogs.count].enqueue(JobFixture.job(dataset: dataset, at: index))
        }

        let ledger = ClaimLedger()
        let deadline = ContinuousClock.now + .seconds(120)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                let catalog = catalogs[worker % catalogs.count]
                group.addTask {
                    while await ledger.claims.count < total {
                        guard ContinuousClock.now < deadline else { throw ContractTimeout() }
                        guard let job = try await catalog.claimNext(worker: "w\(worker)", now: JobFixture.date(5_000)) else {
                            await Task.yield()
                            continue
                        }
                        await ledger.begin(job)
                        // Work while the ledger holds the dataset, so an overlapping claim would be seen.
                        let step = JobStep(name: "run", attempt: 1, startedAt: JobFixture.date(5_000))
                        try await catalog.recordStep(step, of: job.id)
                        await ledger.end(job)
                        try await catalog.finish(job.id, state: .succeeded, error: nil, now: JobFixture.date(5_001))
                    }
                }
            }
            try await group.waitForAll()
        }

        let claims = await ledger.claims
        #expect(claims.count == total)
        #expect(Set(claims).count == total)
        let overlaps = await ledger.overlaps
        #expect(overlaps.isEmpty, "datasets claimed while running: \(overlaps)")
        #expect(try await catalogs[0].claimNext(worker: "w0", now: JobFixture.date(6_000)) == nil)
    }
}

/// What the workers of the claim test saw: every claim, and any dataset claimed while it ran.
private actor ClaimLedger {
    private(set) var claims: [JobID] = []
    private(set) var overlaps: [String] = []
    private var running: Set<String> = []

    /// Records a claim. The worker calls `end` before it finishes the job in the catalog, so the
    /// catalog never frees a dataset that the ledger still holds.
    func begin(_ job: Job) {
        claims.append(job.id)
        if let dataset = job.dataset, !running.insert(dataset).inserted {
            overlaps.append(dataset)
        }
    }

    func end(_ job: Job) {
        if let dataset = job.dataset {
            running.remove(dataset)
        }
    }
}

/// A contract case ran past its deadline.
struct ContractTimeout: Error {}
