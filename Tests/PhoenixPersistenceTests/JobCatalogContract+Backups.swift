import FoundationEssentials
import PhoenixDomain
import Testing

extension JobCatalogContract {
    // MARK: - Backups

    static func backup(_ dataset: String = "redis_data", at seconds: Int, id: String? = nil) -> BackupRecord {
        BackupRecord(
            id: BackupID(rawValue: id ?? "\(1_000_000 + seconds)-\(dataset)"), dataset: dataset, tier: .critical,
            sourceKind: "redis", store: "primary", objectKey: "redis/\(seconds).pdr", manifestKey: "redis/\(seconds).manifest.json",
            snapshotAt: JobFixture.date(seconds), startedAt: JobFixture.date(seconds), finishedAt: JobFixture.date(seconds + 1),
            rawBytes: 100, storedBytes: 80, sha256: String(repeating: "ab", count: 32), compression: "none", keyID: "k1")
    }

    static func backupsReadBackEveryField(makeCatalog: MakeCatalog) async throws {
        let catalog = try await makeCatalog()
        var full = backup(at: 1)
        full.sourceVersion = "7.2.4"
        full.recordCount = 1_000_000
        full.contentDigest = "sha256:" + String(repeating: "cd", count: 32)
        full.labels = ["trigger": "api:ops", "note": "before the \"migration\" ü"]
        full.jobID = JobID.make()
        full.storedBytes = 9_000_000_000
        let minimal = backup("agent_state", at: 2)

        try await catalog.recordBackup(full)
        try await catalog.recordBackup(minimal)
        #expect(try await catalog.backup(full.id) == full)
        #expect(try await catalog.backup(minimal.id) == minimal)
        #expect(try await catalog.backup(BackupID(rawValue: "nope")) == nil)
    }

    static func recordingABackupAgainKeepsItsVerificationAndPin(makeCatalog: MakeCatalog) async throws {
        let catalog = try await makeCatalog()
        var record = backup(at: 1)
        record.jobID = JobID.make()
        try await catalog.recordBackup(record)
        try await catalog.recordVerification(of: record.id, at: JobFixture.date(5), error: nil)
        _ = try await catalog.setPinned(record.id, true)

        // A catalog sync records what the manifest says: no job id, no verification, no pin.
        var synced = record
        synced.jobID = nil
        synced.labels = ["synced": "yes"]
        try await catalog.recordBackup(synced)
        let stored = try #require(try await catalog.backup(record.id))
        #expect(stored.verifiedAt == JobFixture.date(5))
        #expect(stored.isPinned)
        #expect(stored.jobID == record.jobID)
        #expect(stored.labels == ["synced": "yes"])
    }

    static func backupsAreListedNewestFirstByDatasetInCursorPages(makeCatalog: MakeCatalog) async throws {
        let catalog = try await makeCatalog()
        for index in 0..<7 {
            try await catalog.recordBackup(backup(index.isMultiple(of: 2) ? "redis_data" : "vault", at: 10 + index))
        }
        // Two backups with one snapshot time page stably by id.
        try await catalog.recordBackup(backup("redis_data", at: 12, id: "same-time-b"))

        let redis = try await catalog.backups(BackupQuery(dataset: "redis_data", limit: 100))
        #expect(redis.map(\.snapshotAt) == redis.map(\.snapshotAt).sorted(by: >))
        #expect(redis.count == 5)
        var seen: [BackupID] = []
        var cursor: BackupID?
        repeat {
            let page = try await catalog.backups(BackupQuery(after: cursor, limit: 3))
            seen += page.map(\.id)
            cursor = page.count == 3 ? page.last?.id : nil
        } while cursor != nil
        #expect(seen.count == 8)
        #expect(Set(seen).count == 8)
        let unknown = await #expect(throws: CatalogError.self) { _ = try await catalog.backups(BackupQuery(after: BackupID(rawValue: "x"))) }
        #expect(unknown?.code == .notFound)
    }

    static func verificationPinAndDeleteChangeOneBackup(makeCatalog: MakeCatalog) async throws {
        let catalog = try await makeCatalog()
        let record = backup(at: 1)
        let other = backup(at: 2)
        try await catalog.recordBackup(record)
        try await catalog.recordBackup(other)

        try await catalog.recordVerification(of: record.id, at: JobFixture.date(3), error: nil)
        #expect(try await catalog.backup(record.id)?.verifiedAt == JobFixture.date(3))
        try await catalog.recordVerification(of: record.id, at: JobFixture.date(4), error: "chunk 3 failed authentication")
        let failed = try #require(try await catalog.backup(record.id))
        #expect(failed.verifiedAt == nil)
        #expect(failed.verifyError == "chunk 3 failed authentication")
        try await catalog.recordVerification(of: record.id, at: JobFixture.date(5), error: nil)
        #expect(try await catalog.backup(record.id)?.verifyError == nil)
        let missing = await #expect(throws: CatalogError.self) {
            try await catalog.recordVerification(of: BackupID(rawValue: "nope"), at: JobFixture.date(6), error: nil)
        }
        #expect(missing?.code == .notFound)

        #expect(try await catalog.setPinned(record.id, true)?.isPinned == true)
        #expect(try await catalog.setPinned(record.id, false)?.isPinned == false)
        #expect(try await catalog.setPinned(BackupID(rawValue: "nope"), true) == nil)

        try await catalog.deleteBackup(record.id)
        #expect(try await catalog.backup(record.id) == nil)
        #expect(try await catalog.backup(other.id) == other)
        try await catalog.deleteBackup(record.id)
    }
}
