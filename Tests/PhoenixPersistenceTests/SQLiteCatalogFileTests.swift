import FoundationEssentials
import GRDB
import PhoenixDomain
import PhoenixPersistence
import Testing

/// What only the SQLite catalog promises: its file, its schema and its errors.
@Suite struct SQLiteCatalogFileTests {
    @Test func migrationsRunOnceAndTheFileIsInWALMode() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/catalog.sqlite"
        for _ in 0..<3 {
            _ = try await SQLiteJobCatalog(path: path).enqueue(JobFixture.job(at: 1))
        }

        let queue = try DatabaseQueue(path: path)
        try await queue.read { db in
            #expect(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") == ["v1-jobs", "v2-heartbeats-and-leases", "v3-backups", "v4-job-parameters",
                                                                                         "v5-events-and-active-region", "v6-lease-times"])
            #expect(try String.fetchOne(db, sql: "PRAGMA journal_mode") == "wal")
            let indexes = try String.fetchSet(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'jobs_%'")
            #expect(indexes == ["jobs_by_creation", "jobs_by_state", "jobs_idempotency_key", "jobs_running_dataset"])
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM jobs") == 3)
        }
    }

    @Test func twoCatalogsOnOneFileClaimEachJobOnce() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/catalog.sqlite"
        // Two pools on one file behave like two processes: they meet only in SQLite's file locks.
        let catalogs = [try await SQLiteJobCatalog(path: path), try await SQLiteJobCatalog(path: path)]
        let total = 300
        for index in 0..<total {
            _ = try await catalogs[index % 2].enqueue(JobFixture.job(dataset: index % 3 == 0 ? nil : "ds-\(index % 4)", at: index))
        }

        let claims = try await withThrowingTaskGroup(of: [JobID].self) { group in
            for worker in 0..<4 {
                group.addTask {
                    try await drain(catalogs[worker % 2], worker: "w\(worker)", deadline: .now + .seconds(60))
                }
            }
            return try await group.reduce(into: [JobID]()) { $0 += $1 }
        }
        #expect(claims.count == total)
        #expect(Set(claims).count == total)
    }

    @Test func aFileThatIsNotACatalogFailsWithAClientSafeError() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/catalog.sqlite"
        try Data(repeating: 0x41, count: 8192).write(to: URL(filePath: path))

        let error = await #expect(throws: CatalogError.self) { try await SQLiteJobCatalog(path: path) }
        #expect(error?.code == .storage)
        #expect(error?.message == "could not open the job catalog: the job catalog file is damaged or is not a catalog")
        #expect(error?.detail?.isEmpty == false)
        #expect(error?.debugDescription.hasPrefix("storage: could not open") == true)
    }

    @Test func aMissingFolderFailsWithAClientSafeError() async throws {
        let path = "/nonexistent-\(UUID().uuidString)/catalog.sqlite"

        let error = await #expect(throws: CatalogError.self) { try await SQLiteJobCatalog(path: path) }
        #expect(error?.code == .storage)
        #expect(error?.message == "could not open the job catalog: the job catalog file cannot be opened")
        #expect(error?.message.contains(path) == false)
    }

    @Test func aCatalogMigratedByANewerVersionIsRefused() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/catalog.sqlite"
        _ = try await SQLiteJobCatalog(path: path)
        try await DatabaseQueue(path: path).write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')")
        }

        let error = await #expect(throws: CatalogError.self) { try await SQLiteJobCatalog(path: path) }
        #expect(error?.message == "the job catalog was written by a newer phoenix-dr; upgrade to open it")
    }

    @Test func aStoredJobOfAnUnknownKindIsAStorageErrorNotACrash() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/catalog.sqlite"
        let catalog = try await SQLiteJobCatalog(path: path)
        let job = try await catalog.enqueue(JobFixture.job(at: 1))
        try await DatabaseQueue(path: path).write { db in
            try db.execute(sql: "UPDATE jobs SET kind = 'teleport' WHERE id = ?", arguments: [job.id.rawValue])
        }

        let error = await #expect(throws: CatalogError.self) { try await catalog.job(job.id) }
        #expect(error?.code == .storage)
        #expect(error?.detail?.contains("teleport") == true)
    }

    @Test func temporaryCatalogRemovesItsFolderWhenReleased() async throws {
        var catalog: SQLiteJobCatalog? = try await SQLiteJobCatalog.makeTemporary()
        let job = try await catalog?.enqueue(JobFixture.job(at: 1))
        #expect(try await catalog?.job(try #require(job).id) == job)
        let before = try temporaryCatalogFolders()
        #expect(!before.isEmpty)

        catalog = nil
        #expect(try temporaryCatalogFolders().count == before.count - 1)
    }

    private func temporaryCatalogFolders() throws -> Set<String> {
        let temporary = FileManager.default.temporaryDirectory.path
        return Set(try FileManager.default.contentsOfDirectory(atPath: temporary).filter { $0.hasPrefix("phoenix-catalog-") })
    }
}

/// Claims and finishes jobs on `catalog` until none is queued, returning what it claimed.
private func drain(_ catalog: SQLiteJobCatalog, worker: String, deadline: ContinuousClock.Instant) async throws -> [JobID] {
    var claimed: [JobID] = []
    while ContinuousClock.now < deadline {
        if let job = try await catalog.claimNext(worker: worker, now: JobFixture.date(1_000)) {
            claimed.append(job.id)
            try await catalog.finish(job.id, state: .succeeded, error: nil, now: JobFixture.date(1_001))
        } else if try await catalog.list(JobQuery(state: .queued, limit: 1)).isEmpty {
            return claimed
        } else {
            // The jobs left wait for datasets that another worker is running.
            await Task.yield()
        }
    }
    throw ContractTimeout()
}
