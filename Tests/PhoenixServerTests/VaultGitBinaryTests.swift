import Foundation
import PhoenixTesting
import Testing

/// The binary with the seed's vault and git blocks: backups through the API (the source
/// factory's wiring), then the offline `artifact restore` of each, into a fake Vault of another
/// cluster (refused, then forced) and into an empty git repository.
@Suite struct VaultGitBinaryTests {
    static func git(_ arguments: [String]) async throws -> String {
        let result = try await ProcessRunner.run("git", ["-c", "user.name=T", "-c", "user.email=t@t.invalid", "-c", "init.defaultBranch=main"] + arguments)
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func fakeVaultAndGitBackupsAreRestoredOfflineByTheBinary() async throws {
        let setup = try await offPool { try BackupBinaryTests.Setup(treeBytes: 0, files: 0) }
        defer { setup.remove() }
        let root = setup.directory.path
        let repository = root + "/app.git"
        _ = try await Self.git(["init", "--quiet", "--bare", repository])
        _ = try await Self.git(["init", "--quiet", root + "/work"])
        _ = try await Self.git(["-C", root + "/work", "commit", "--quiet", "--allow-empty", "-m", "one"])
        _ = try await Self.git(["-C", root + "/work", "tag", "v1"])
        _ = try await Self.git(["-C", root + "/work", "push", "--quiet", "--mirror", repository])
        try FileManager.default.createDirectory(atPath: root + "/staging", withIntermediateDirectories: true)

        let primary = FakeVault(token: "hvs.primary-token-1234")
        primary.write("app", ["password": "from-primary"])
        let primaryServer = try primary.start()
        try """
            server:
              data_directory: \(root)/data
            stores:
              local: {kind: local, path: \(setup.store)}
            regions:
              east: {role: primary, vault: {address: "\(primaryServer.baseURL)", token: \(primary.token)}}
            backup:
              vault: {backup_path: \(root)/staging, schedule: "0 0 1 1 *", retention: {keep_last: 24}}
              git:
                repositories:
                  - {name: app, url: \(repository), branch: main, backup_schedule: "0 0 1 1 *"}
            """.write(to: setup.file, atomically: true, encoding: .utf8)
        let server = try BinaryTests.startServe(config: setup.file)
        defer { if server.isRunning { server.kill(SIGKILL) } }
        let port = try #require(await BinaryTests.listeningPort(of: server))
        let api = ["--url", "http://127.0.0.1:\(port)", "--token", try BackupBinaryTests.token(setup)]
        for dataset in ["vault", "git-app"] {
            let run = try await ProcessRunner.run(BinaryTests.binary.path, ["backup", "run", dataset, "--wait"] + api)
            #expect(run.status == 0, "\(dataset): \(run.stdout) \(run.stderr)")
        }
        server.kill(SIGTERM)
        #expect(await eventually(timeout: .seconds(30)) { !server.isRunning })
        await primaryServer.stop()
        #expect(FileManager.default.fileExists(atPath: root + "/staging/vault-snapshot-latest.snap"))

        let artifacts = FileManager.default.enumerator(atPath: setup.store)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".pdr") } ?? []
        let vaultArtifact = try #require(artifacts.first { $0.hasPrefix("vault/") })
        let gitArtifact = try #require(artifacts.first { $0.hasPrefix("git-app/") })

        let dr = FakeVault(token: "hvs.dr-token-5678")
        let drServer = try dr.start()
        let restore = ["artifact", "restore", setup.store + "/" + vaultArtifact, "--keyring", setup.keyring,
                       "--vault-address", drServer.baseURL, "--vault-token-env", "PHX_DR_VAULT_TOKEN"]
        let plain = try await ProcessRunner.run("env", ["PHX_DR_VAULT_TOKEN=\(dr.token)", BinaryTests.binary.path] + restore)
        #expect(plain.status != 0)
        #expect(plain.stderr.contains("snapshot-force"), "\(plain.stderr)")
        #expect(!plain.stderr.contains(dr.token))
        let forced = try await ProcessRunner.run("env", ["PHX_DR_VAULT_TOKEN=\(dr.token)", BinaryTests.binary.path] + restore + ["--force"])
        #expect(forced.status == 0, "\(forced.stdout) \(forced.stderr)")
        #expect(dr.read("app") == ["password": "from-primary"])
        await drServer.stop()

        let target = root + "/restored.git"
        _ = try await Self.git(["init", "--quiet", "--bare", target])
        let pushed = try await ProcessRunner.run(BinaryTests.binary.path, [
            "artifact", "restore", setup.store + "/" + gitArtifact, "--keyring", setup.keyring, "--git-remote", target,
        ])
        #expect(pushed.status == 0, "\(pushed.stdout) \(pushed.stderr)")
        #expect(pushed.stdout.contains("restored: 2 refs"), "\(pushed.stdout)")
        #expect(try await Self.git(["-C", target, "for-each-ref"]) == (try await Self.git(["-C", repository, "for-each-ref"])))
    }
}
