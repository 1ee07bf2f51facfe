import Foundation
import PhoenixCrypto
import PhoenixDomain
@testable import PhoenixSources
import PhoenixTesting
import Testing

/// Raft snapshots through the Vault source and restore, against the fake Vault of PhoenixTesting
/// (Vault itself cannot run here).
@Suite struct VaultSourceTests {
    @Test func fakeVaultSnapshotIsSavedAndRestoredIntoTheSameCluster() async throws {
        try await FakeVaultHarness.run { harness in
            harness.vault.write("app", ["password": "before"])
            let (summary, bytes) = try await harness.snapshot()
            #expect(summary.contentDigest == SHA256.hex(bytes))
            #expect(summary.sourceVersion == "Vault 1.15.0-fake (fake-vault-cluster)")
            let checker = try VaultSnapshotChecker()
            try checker.consume(bytes)
            #expect(try await checker.finish().contentDigest == summary.contentDigest)

            harness.vault.write("app", ["password": "after"])
            let report = try await harness.restore(bytes)
            #expect(report.bytes == Int64(bytes.count))
            #expect(report.contentDigest == summary.contentDigest)
            #expect(harness.vault.read("app") == ["password": "before"])
            #expect(harness.vault.restores.map(\.forced) == [false])
        }
    }

    @Test func fakeVaultRefusesAPlainRestoreFromAnotherClusterAndTakesItForced() async throws {
        let (_, bytes) = try await FakeVaultHarness.run { primary in
            primary.vault.write("app", ["password": "primary"])
            return try await primary.snapshot()
        }
        try await FakeVaultHarness.run(FakeVault(token: "dr-token")) { dr in
            dr.vault.write("app", ["password": "dr"])
            let refusal = await #expect(throws: VaultError.self) { try await dr.restore(bytes) }
            #expect(refusal?.code == .rejected)
            #expect(refusal?.description.contains("snapshot-force") == true, "Vault's reason is passed on: \(refusal?.description ?? "")")
            #expect(dr.vault.read("app") == ["password": "dr"], "a refused restore changes nothing")

            _ = try await dr.restore(bytes, force: true)
            #expect(dr.vault.read("app") == ["password": "primary"])
            #expect(dr.vault.restores.map(\.forced) == [true])
        }
    }

    @Test func fakeVaultClusterMembersShareTheirSnapshots() async throws {
        let key = Array(repeating: UInt8(7), count: 32)
        let (_, bytes) = try await FakeVaultHarness.run(FakeVault(clusterKey: key)) { try await $0.snapshot() }
        try await FakeVaultHarness.run(FakeVault(clusterKey: key)) { other in
            _ = try await other.restore(bytes)
            #expect(other.vault.restores.map(\.forced) == [false])
        }
    }

    @Test func aSealedFakeVaultIsAClearErrorForBackupAndRestore() async throws {
        try await FakeVaultHarness.run { harness in
            let (_, bytes) = try await harness.snapshot()
            harness.vault.seal()
            let backup = await #expect(throws: VaultError.self) { try await harness.snapshot() }
            #expect(backup?.code == .sealed)
            #expect(backup?.description.contains("is sealed") == true)
            let restore = await #expect(throws: VaultError.self) { try await harness.restore(bytes) }
            #expect(restore?.code == .sealed)
            #expect(harness.vault.restores.isEmpty)
        }
    }

    @Test func standbyAndUninitialisedFakeVaultsAreClearErrors() async throws {
        try await FakeVaultHarness.run { harness in
            harness.vault.setMode(.standby)
            let standby = await #expect(throws: VaultError.self) { try await harness.snapshot() }
            #expect(standby?.code == .notActive)
            #expect(standby?.description.contains("standby") == true)
            harness.vault.setMode(.uninitialized)
            let fresh = await #expect(throws: VaultError.self) { try await harness.snapshot() }
            #expect(fresh?.code == .uninitialized)
            #expect(fresh?.description.contains("not initialised") == true)
        }
    }

    @Test func aBadTokenAgainstFakeVaultIsAClearErrorThatNeverShowsTheToken() async throws {
        try await FakeVaultHarness.run { harness in
            let wrong = "hvs.wrong-token-\(UUID().uuidString)"
            let source = try harness.source(token: wrong)
            let error = await #expect(throws: VaultError.self) { try await source.snapshot(into: MemorySink()) }
            #expect(error?.code == .permissionDenied)
            #expect(error?.description.contains("permission denied") == true)
            #expect(error?.description.contains(wrong) == false)
            #expect(error.map { String(reflecting: $0) }?.contains(wrong) == false)
            let restore = await #expect(throws: VaultError.self) { try await harness.restore([0x1F, 0x8B, 0x08, 0], token: wrong) }
            #expect(restore?.code == .permissionDenied)
            #expect(!harness.loggedText.contains(wrong))
            #expect(!harness.loggedText.contains(harness.vault.token))
        }
    }

    @Test func aFakeVaultAnsweringAnHTMLPageWith500IsAClearError() async throws {
        try await FakeVaultHarness.run { harness in
            harness.vault.inject(.htmlPage(status: 500))
            let error = await #expect(throws: VaultError.self) { try await harness.snapshot() }
            #expect(error?.code == .unexpectedAnswer)
            #expect(error?.description.contains("HTTP 500") == true)
            #expect(error?.description.contains("text/html") == true)
            #expect(error?.description.contains("<html>") == false, "the page itself is not pasted into the error")
        }
    }

    @Test func aCorruptedSnapshotIsRefusedByTheFakeVaultAndChangesNothing() async throws {
        try await FakeVaultHarness.run { harness in
            harness.vault.write("app", ["password": "before"])
            var (_, bytes) = try await harness.snapshot()
            harness.vault.write("app", ["password": "after"])
            bytes[bytes.count / 2] ^= 0x40
            let error = await #expect(throws: VaultError.self) { try await harness.restore(bytes) }
            #expect(error?.code == .rejected)
            #expect(harness.vault.read("app") == ["password": "after"])
        }
    }

    @Test func somethingOtherThanASnapshotIsNotSentToFakeVault() async throws {
        try await FakeVaultHarness.run { harness in
            let error = await #expect(throws: VaultError.self) { try await harness.restore(Array("<html>not a snapshot</html>".utf8)) }
            #expect(error?.description.contains("not a Vault raft snapshot") == true)
            #expect(harness.vault.restores.isEmpty)
            let checker = try VaultSnapshotChecker()
            #expect(throws: VaultError.self) { try checker.consume(Array("PGDMP".utf8)) }
        }
    }

    @Test func theFakeVaultSnapshotIsARealGzipTarWithChecksums() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (_, bytes) = try await FakeVaultHarness.run { try await $0.snapshot() }
        let path = directory.path + "/snapshot.snap"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let listing = try await ProcessRunner.run("tar", ["-tzf", path])
        #expect(listing.status == 0, "\(listing.stderr)")
        #expect(listing.stdout.split(separator: "\n") == ["meta.json", "state.bin", "SHA256SUMS", "SHA256SUMS.sealed"])
    }
}
