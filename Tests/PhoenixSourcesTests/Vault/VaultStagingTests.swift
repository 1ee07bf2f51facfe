import Foundation
import PhoenixDomain
import PhoenixHTTPClient
@testable import PhoenixSources
import PhoenixTesting
import Testing

/// `backup.vault.backup_path` as the staging folder, and a snapshot that breaks off.
@Suite struct VaultStagingTests {
    @Test func theFakeVaultSnapshotIsStagedWholeInTheBackupPath() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await FakeVaultHarness.run { harness in
            let sink = MemorySink()
            let summary = try await harness.source(staging: directory.path).snapshot(into: sink)
            #expect(summary.warnings.isEmpty)
            let staged = try Data(contentsOf: URL(fileURLWithPath: directory.path + "/" + VaultStaging.fileName))
            #expect(Array(staged) == (await sink.bytes))
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == [VaultStaging.fileName])
        }
    }

    @Test func aMissingBackupPathIsAWarningNotAFailure() async throws {
        try await FakeVaultHarness.run { harness in
            let summary = try await harness.source(staging: "/nonexistent/vault/backup").snapshot(into: MemorySink())
            #expect(summary.warnings == ["backup.vault.backup_path /nonexistent/vault/backup does not exist; the snapshot was not staged there"])
        }
    }

    @Test func aSnapshotShorterThanItsContentLengthFailsAndLeavesNoStagedFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let peer = try ShortSnapshotPeer(announced: 100_000, sent: 5_000)
        defer { peer.stop() }
        try HTTPClient.globalInitialize()
        let logs = InMemoryLogs()
        let http = try HTTPClient(logger: logs.logger())
        let token = "hvs.short-snapshot-token"
        let source = VaultSource(settings: .init(endpoint: try VaultEndpoint(address: "http://127.0.0.1:\(peer.port)", token: token),
                                                 stagingDirectory: directory.path),
                                 http: http, now: { Date() }, logger: logs.logger())
        let sink = MemorySink()
        let error = await #expect(throws: VaultError.self) { try await source.snapshot(into: sink) }
        await http.shutdown()
        #expect(error?.code == .transport)
        #expect(error?.description.contains("closed before the response was complete") == true, "\(error?.description ?? "")")
        #expect(error?.description.contains(token) == false)
        #expect((await sink.bytes).count < 100_000)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty, "the partial staging file is removed")
    }
}
