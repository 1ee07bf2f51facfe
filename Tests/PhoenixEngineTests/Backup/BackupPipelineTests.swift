import Foundation
import PhoenixArtifact
import PhoenixDomain
import PhoenixEngine
import PhoenixPersistence
import PhoenixSources
import Synchronization
import Testing

/// Backup, verify, retention and catalog sync end to end over the real catalog, store, source
/// and artifact format.
@Suite struct BackupPipelineTests {
    @Test(arguments: [0, 1, 65_536, 196_613])
    func aBackupIsStoredWithItsManifestAndRowAndVerifies(fileSize: Int) async throws {
        let harness = try await BackupHarness()
        try harness.fillTree(files: fileSize == 0 ? 0 : 7, bytesEach: fileSize)

        let job = try await harness.run(.backup)
        #expect(job.state == .succeeded, "\(job.error ?? "")")
        #expect(Set(job.steps.map(\.name)) == ["snapshot", "read_back", "manifest"])
        let backups = try await harness.catalog.backups(BackupQuery(dataset: "sample"))
        let backup = try #require(backups.first)
        #expect(backups.count == 1)
        #expect(backup.recordCount == (fileSize == 0 ? 0 : 7))
        #expect(backup.keyID == "k1")
        #expect(backup.compression == "zstd")
        #expect(backup.jobID == job.id)
        #expect(backup.labels["trigger"] == "test")
        #expect(harness.storedFiles() == [backup.manifestKey, backup.objectKey].sorted())
        #expect(backup.objectKey.hasPrefix("sample/2026/11/27/"))

        let manifest = try ArtifactManifest.decode(Array(try Data(contentsOf: URL(fileURLWithPath: harness.storePath + "/" + backup.manifestKey))))
        #expect(manifest.storedSHA256 == backup.sha256)
        #expect(manifest.contentDigest == backup.contentDigest)
        let retention = try await harness.catalog.list(JobQuery(kind: .retention))
        #expect(retention.count == 1, "a retention job follows each backup")

        let verify = try await harness.run(.verify, parameters: ["backup_id": backup.id.rawValue])
        #expect(verify.state == .succeeded, "\(verify.error ?? "")")
        #expect(try await harness.catalog.backup(backup.id)?.verifiedAt != nil)
    }

    @Test func aTamperedArtifactFailsVerificationAndTheFailureIsRecorded() async throws {
        let harness = try await BackupHarness()
        try harness.fillTree(files: 5, bytesEach: 100_000)
        _ = try await harness.run(.backup)
        let backup = try #require(try await harness.catalog.backups(BackupQuery()).first)
        let path = harness.storePath + "/" + backup.objectKey
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count / 2] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        let verify = try await harness.run(.verify, parameters: ["backup_id": backup.id.rawValue])
        #expect(verify.state == .failed)
        let recorded = try #require(try await harness.catalog.backup(backup.id))
        #expect(recorded.verifiedAt == nil)
        #expect(recorded.verifyError?.contains("chunk") == true, "\(recorded.verifyError ?? "")")
    }

    @Test func aSourceThatFailsMidStreamLeavesNoObjectNoManifestAndNoRow() async throws {
        let harness = try await BackupHarness(makeSource: { dataset in FailingSource(failAfter: 150_000, root: dataset.path ?? "") })
        try harness.fillTree(files: 6, bytesEach: 100_000)

        let job = try await harness.run(.backup)
        #expect(job.state == .failed)
        #expect(job.error?.contains("source went away") == true, "\(job.error ?? "")")
        #expect(job.steps.filter { $0.name == "snapshot" }.count == 2, "the snapshot step is retried once")
        #expect(harness.storedFiles().isEmpty, "\(harness.storedFiles())")
        #expect(try await harness.catalog.backups(BackupQuery()).isEmpty)
        #expect(try await harness.catalog.list(JobQuery(kind: .retention)).isEmpty)
    }

    @Test func afterARotationOldBackupsStillVerifyAndNewOnesUseTheNewKey() async throws {
        let harness = try await BackupHarness()
        try harness.fillTree(files: 3, bytesEach: 20_000)
        _ = try await harness.run(.backup)
        let old = try #require(try await harness.catalog.backups(BackupQuery()).first)
        let first = try #require(harness.environment.withLock { $0.keyring.current })
        let second = try ArtifactKey.makeRandom(id: try #require(ArtifactKeyID(rawValue: "k2")))
        let rotated = try Keyring(keys: [first, second], currentKeyID: second.id)
        harness.environment.withLock { $0.keyring = rotated }

        harness.advance(by: 60)
        _ = try await harness.run(.backup)
        let new = try #require(try await harness.catalog.backups(BackupQuery()).first)
        #expect(new.keyID == "k2")
        #expect(try await harness.run(.verify, parameters: ["backup_id": old.id.rawValue]).state == .succeeded)

        // A keyring that lost the old key cannot read the old backup, and says which key is missing.
        let withoutOldKey = try Keyring(keys: [second])
        harness.environment.withLock { $0.keyring = withoutOldKey }
        let lost = try await harness.run(.verify, parameters: ["backup_id": old.id.rawValue])
        #expect(lost.state == .failed)
        #expect(lost.error?.contains("k1") == true, "\(lost.error ?? "")")
        #expect(try await harness.run(.verify, parameters: ["backup_id": new.id.rawValue]).state == .succeeded)
    }

    @Test func anUnencryptedTierIsStoredWithHashFramingAndNoKey() async throws {
        let harness = try await BackupHarness(encrypted: false)
        try harness.fillTree(files: 3, bytesEach: 10_000)
        let job = try await harness.run(.backup)
        #expect(job.state == .succeeded, "\(job.error ?? "")")
        let backup = try #require(try await harness.catalog.backups(BackupQuery()).first)
        #expect(backup.keyID == nil)
        let verify = try await harness.run(.verify, parameters: ["backup_id": backup.id.rawValue])
        #expect(verify.state == .succeeded)
    }
}

/// A directory source whose stream breaks after `failAfter` bytes, as a server that dies
/// mid-snapshot: fault injection, not a stand-in for the real source it wraps.
struct FailingSource: BackupSource {
    struct Broken: Error, CustomStringConvertible {
        var description: String { "the source went away mid-stream" }
    }

    let failAfter: Int
    let root: String
    var kind: String { "directory" }
    var isCompressible: Bool { true }

    func snapshot(into sink: any SnapshotSink) async throws -> SnapshotSummary {
        let inner = DirectorySource(root: root, now: { Date() }, logger: BackupHarness.quiet)
        let counting = CountingSink(inner: sink, limit: failAfter)
        return try await inner.snapshot(into: counting)
    }

    func makeChecker() -> any SnapshotChecker {
        DirectorySource(root: root, now: { Date() }, logger: BackupHarness.quiet).makeChecker()
    }

    final class CountingSink: SnapshotSink, @unchecked Sendable {
        // Safety: `written` is touched only by the one task a source writes from.
        private var written = 0
        let inner: any SnapshotSink
        let limit: Int

        init(inner: any SnapshotSink, limit: Int) {
            self.inner = inner
            self.limit = limit
        }

        func write(_ bytes: [UInt8]) async throws {
            written += bytes.count
            if written > limit { throw Broken() }
            try await inner.write(bytes)
        }
    }
}
