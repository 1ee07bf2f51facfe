import Foundation
import PhoenixDomain
import PhoenixEngine
import PhoenixHTTPClient
import PhoenixPersistence
import PhoenixSources
import PhoenixTesting
import Testing

/// The Vault and Git sources through the whole pipeline: backup job (stream, encrypt, store,
/// read back with the source's checker), then a verify job running the checker again.
@Suite struct VaultGitPipelineTests {
    @Test func aGitRepositoryIsBackedUpAndVerifiedThroughTheJobs() async throws {
        let scratch = FileManager.default.temporaryDirectory.appending(path: "t_\(UUID().uuidString.lowercased())").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let repository = scratch + "/app.git"
        for arguments in [["init", "--quiet", "--bare", repository], ["init", "--quiet", scratch + "/work"],
                          ["-C", scratch + "/work", "commit", "--quiet", "--allow-empty", "-m", "one"],
                          ["-C", scratch + "/work", "tag", "v1"], ["-C", scratch + "/work", "push", "--quiet", "--mirror", repository]] {
            let result = try await ProcessRunner.run("git", ["-c", "user.name=T", "-c", "user.email=t@t.invalid"] + arguments)
            #expect(result.status == 0, "\(result.stderr)")
        }
        let harness = try await BackupHarness { _ in
            GitSource(settings: .init(name: "app", remote: GitRemote(url: repository), mirrorPath: scratch + "/mirror.git", scratchDirectory: scratch),
                      now: { Date() }, logger: BackupHarness.quiet)
        }
        let job = try await harness.run(.backup)
        #expect(job.state == .succeeded, "\(job.error ?? "")")
        let backup = try #require(try await harness.catalog.backups(BackupQuery()).first)
        #expect(backup.recordCount == 2, "the branch and the tag")
        let verify = try await harness.run(.verify, parameters: ["backup_id": backup.id.rawValue])
        #expect(verify.state == .succeeded, "\(verify.error ?? "")")
    }

    @Test func aFakeVaultSnapshotIsBackedUpAndVerifiedThroughTheJobs() async throws {
        try HTTPClient.globalInitialize()
        let http = try HTTPClient(logger: BackupHarness.quiet)
        let vault = FakeVault()
        let server = try vault.start()
        vault.write("app", ["password": "p"])
        let endpoint = try VaultEndpoint(address: server.baseURL, token: vault.token)
        let harness = try await BackupHarness { _ in
            VaultSource(settings: .init(endpoint: endpoint), http: http, now: { Date() }, logger: BackupHarness.quiet)
        }
        let job = try await harness.run(.backup)
        let backup = try await harness.catalog.backups(BackupQuery()).first
        var verify: Job?
        if let backup { verify = try await harness.run(.verify, parameters: ["backup_id": backup.id.rawValue]) }
        await server.stop()
        await http.shutdown()
        #expect(job.state == .succeeded, "\(job.error ?? "")")
        #expect(backup?.contentDigest?.count == 64)
        #expect(backup?.sourceVersion == "Vault 1.15.0-fake (fake-vault-cluster)")
        #expect(verify?.state == .succeeded, "\(verify?.error ?? "")")
    }
}
