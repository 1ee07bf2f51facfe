import Foundation
import PhoenixArtifact
import PhoenixDomain
import PhoenixEngine
import PhoenixPersistence
import Testing

/// Retention deletes what the rules let go (all three parts together), and a catalog rebuilt
/// from the store alone holds the same backups.
@Suite struct RetentionAndSyncTests {
    /// Four hourly backups, pruned by their retention jobs (keep_last 2) unless `pruning` is off.
    private func fourBackups(_ harness: BackupHarness, pruning: Bool = true) async throws -> [BackupRecord] {
        try harness.fillTree(files: 3, bytesEach: 5_000)
        for _ in 0..<4 {
            let job = try await harness.run(.backup)
            #expect(job.state == .succeeded, "\(job.error ?? "")")
            if !pruning { try await harness.cancelQueued(.retention) }
            harness.advance(by: 3600)
        }
        return try await harness.catalog.backups(BackupQuery(limit: 100))
    }

    @Test func retentionDeletesArtifactManifestAndRowOfWhatTheRulesLetGoButKeepsPins() async throws {
        let harness = try await BackupHarness()
        try harness.fillTree(files: 3, bytesEach: 5_000)
        let first = try await harness.run(.backup)
        #expect(first.state == .succeeded)
        let oldest = try #require(try await harness.catalog.backups(BackupQuery()).first)
        _ = try await harness.catalog.setPinned(oldest.id, true)
        for _ in 0..<3 {
            harness.advance(by: 3600)
            _ = try await harness.run(.backup)
        }
        // Let the retention jobs the backups queued run.
        let sweep = try await harness.run(.retention)
        #expect(sweep.state == .succeeded)

        let left = try await harness.catalog.backups(BackupQuery(limit: 100))
        #expect(left.count == 3, "the newest two and the pinned one")
        #expect(left.contains { $0.id == oldest.id })
        #expect(harness.storedFiles().count == 6)
        for backup in left {
            #expect(harness.storedFiles().contains(backup.objectKey))
            #expect(harness.storedFiles().contains(backup.manifestKey))
        }
    }

    @Test func aDryRunDeletesNothingAndARealRunDeletesTheSame() async throws {
        let harness = try await BackupHarness()
        let before = try await fourBackups(harness, pruning: false)
        #expect(before.count == 4)
        let files = harness.storedFiles()

        let dryRun = try await harness.run(.retention, parameters: ["dry_run": "true"])
        #expect(dryRun.state == .succeeded)
        #expect(try await harness.catalog.backups(BackupQuery(limit: 100)) == before)
        #expect(harness.storedFiles() == files)

        let real = try await harness.run(.retention)
        #expect(real.items == 2)
        #expect(try await harness.catalog.backups(BackupQuery(limit: 100)).map(\.id) == Array(before.prefix(2).map(\.id)))
        #expect(harness.storedFiles().count == 4)
    }

    @Test func aCatalogRebuiltFromTheStoreHoldsTheSameBackups() async throws {
        let harness = try await BackupHarness()
        let original = try await fourBackups(harness)
        #expect(original.count == 3, "keep_last 2, and the last backup's retention job has not run yet")
        // Leave an artifact whose manifest is lost (a crash between the two writes).
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: harness.storePath + "/sample/2026/11/27/orphan.pdr"))

        let rebuilt = try await BackupHarness(sharing: harness)
        let sync = try await rebuilt.run(.catalogSync)
        #expect(sync.state == .succeeded, "\(sync.error ?? "")")
        #expect(sync.items == 3)
        var restored = try await rebuilt.catalog.backups(BackupQuery(limit: 100))
        var expected = original
        for index in expected.indices { expected[index].jobID = nil }
        for index in restored.indices { restored[index].jobID = nil }
        #expect(restored == expected)
    }

    @Test func aBadManifestMakesTheSyncPartiallyFailedAndNamesIt() async throws {
        let harness = try await BackupHarness()
        _ = try await fourBackups(harness)
        let manifest = try #require(try await harness.catalog.backups(BackupQuery()).first?.manifestKey)
        try Data("{\"format_version\": 99}".utf8).write(to: URL(fileURLWithPath: harness.storePath + "/" + manifest))
        let sync = try await harness.run(.catalogSync)
        #expect(sync.state == .partiallyFailed)
        #expect(sync.error?.contains(manifest) == true, "\(sync.error ?? "")")
    }
}
