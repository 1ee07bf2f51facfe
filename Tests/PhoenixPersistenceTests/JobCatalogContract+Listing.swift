import FoundationEssentials
import PhoenixDomain
import Testing

extension JobCatalogContract {
    static func listFiltersJobsAndShowsTheNewestFirst(makeCatalog: MakeCatalog) async throws {
        let catalog = try await makeCatalog()
        let oldBackup = try await catalog.enqueue(JobFixture.job(.backup, dataset: "redis_data", at: 1))
        let verify = try await catalog.enqueue(JobFixture.job(.verify, dataset: "redis_data", at: 2))
        let gitBackup = try await catalog.enqueue(JobFixture.job(.backup, dataset: "git", at: 3))
        let failover = try await catalog.enqueue(JobFixture.job(.failover, at: 4))
        let newBackup = try await catalog.enqueue(JobFixture.job(.backup, dataset: "redis_data", at: 5))
        _ = try await catalog.claimNext(worker: "w1", now: JobFixture.date(6))
        try await catalog.finish(oldBackup.id, state: .failed, error: "source unreachable", now: JobFixture.date(7))
        let ids = { (query: JobQuery) in try await catalog.list(query).map(\.id) }

        #expect(try await ids(JobQuery()) == [newBackup.id, failover.id, gitBackup.id, verify.id, oldBackup.id])
        #expect(try await ids(JobQuery(kind: .backup)) == [newBackup.id, gitBackup.id, oldBackup.id])
        #expect(try await ids(JobQuery(state: .failed)) == [oldBackup.id])
        #expect(try await ids(JobQuery(state: .queued)) == [newBackup.id, failover.id, gitBackup.id, verify.id])
        #expect(try await ids(JobQuery(dataset: "redis_data")) == [newBackup.id, verify.id, oldBackup.id])
        #expect(try await ids(JobQuery(kind: .backup, state: .queued, dataset: "redis_data")) == [newBackup.id])
        #expect(try await ids(JobQuery(kind: .drill)) == [])
        #expect(try await ids(JobQuery(limit: 2)) == [newBackup.id, failover.id])
        #expect(try await ids(JobQuery(limit: 0)) == [])
        // Listed jobs are whole, steps included.
        for job in try await catalog.list(JobQuery()) {
            #expect(try await catalog.job(job.id) == job)
        }
    }

    static func cursorPagesCoverEveryJobOnce(makeCatalog: MakeCatalog) async throws {
        let catalog = try await makeCatalog()
        // Five jobs share each timestamp, so pages must break ties by id.
        for index in 0..<25 {
            _ = try await catalog.enqueue(JobFixture.job(dataset: index % 2 == 0 ? "even" : "odd", at: index / 5))
        }
        let everything = try await catalog.list(JobQuery(limit: 100))
        #expect(everything.count == 25)

        for filter in [JobQuery(limit: 7), JobQuery(dataset: "even", limit: 4), JobQuery(limit: 25)] {
            let pages = try await allPages(of: catalog, filter)
            let expected = everything.filter { filter.dataset == nil || $0.dataset == filter.dataset }
            #expect(pages.flatMap { $0 }.map(\.id) == expected.map(\.id))
            #expect(pages.dropLast().allSatisfy { $0.count == filter.limit })
        }

        let unknownCursor = await #expect(throws: CatalogError.self) {
            try await catalog.list(JobQuery(after: JobID.make()))
        }
        #expect(unknownCursor?.code == .notFound)
    }

    /// Every page of `query`, following the cursor until a page comes back empty.
    private static func allPages(of catalog: any JobCatalog, _ query: JobQuery) async throws -> [[Job]] {
        var pages: [[Job]] = []
        var query = query
        while pages.count <= 100 {
            let page = try await catalog.list(query)
            guard let last = page.last else { return pages }
            pages.append(page)
            query.after = last.id
        }
        throw ContractTimeout()
    }

    static func listFiltersByIdempotencyKeyPrefixLiterally(makeCatalog: MakeCatalog) async throws {
        let catalog = try await makeCatalog()
        let scheduled = try await catalog.enqueue(JobFixture.job(dataset: "redis_data", at: 1, key: "schedule:redis_data:1800000000"))
        _ = try await catalog.enqueue(JobFixture.job(dataset: "redis", at: 2, key: "schedule:redis:1800000060"))
        _ = try await catalog.enqueue(JobFixture.job(dataset: "redisXdata", at: 3, key: "schedule:redisXdata:1800000120"))
        _ = try await catalog.enqueue(JobFixture.job(dataset: "redis_data", at: 4, key: "schedule-retention:redis_data:1800000180"))
        _ = try await catalog.enqueue(JobFixture.job(dataset: "redis_data", at: 5))
        let newer = try await catalog.enqueue(JobFixture.job(dataset: "redis_data", at: 6, key: "schedule:redis_data:1800000240"))
        let ids = { (query: JobQuery) in try await catalog.list(query).map(\.id) }

        // `_` and `%` are plain characters, not LIKE wildcards.
        #expect(try await ids(JobQuery(keyPrefix: "schedule:redis_data:")) == [newer.id, scheduled.id])
        #expect(try await ids(JobQuery(keyPrefix: "schedule:redis%")) == [])
        #expect(try await ids(JobQuery(dataset: "redis_data", keyPrefix: "schedule:redis_data:", limit: 1)) == [newer.id])
        #expect(try await ids(JobQuery(keyPrefix: "")).count == 5)
    }
}
