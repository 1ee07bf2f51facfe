import Foundation
import PhoenixTesting
import Testing

extension BackupBinaryTests {
    /// What one backup through the served binary left behind.
    struct OneBackup {
        /// `backup list --dataset D --json`, while the server still ran.
        let list: String
        /// The artifact in the local store.
        let artifact: String
    }

    /// Writes `configuration` as the setup's file, serves it, backs up `dataset` with
    /// `backup run --wait` (which must succeed), lists it, stops the server with SIGTERM (which
    /// must end it) and finds the artifact: the common start of the source binary tests.
    static func backUpOnce(_ setup: Setup, configuration: String, dataset: String) async throws -> OneBackup {
        try configuration.write(to: setup.file, atomically: true, encoding: .utf8)
        let server = try BinaryTests.startServe(config: setup.file)
        defer { if server.isRunning { server.kill(SIGKILL) } }
        let port = try #require(await BinaryTests.listeningPort(of: server))
        let api = ["--url", "http://127.0.0.1:\(port)", "--token", try token(setup)]
        let run = try await ProcessRunner.run(BinaryTests.binary.path, ["backup", "run", dataset, "--wait"] + api)
        #expect(run.status == 0, "\(run.stdout) \(run.stderr)")
        let list = try await ProcessRunner.run(BinaryTests.binary.path, ["backup", "list", "--dataset", dataset, "--json"] + api)
        server.kill(SIGTERM)
        #expect(await eventually(timeout: .seconds(30)) { !server.isRunning })
        let artifact = try #require(FileManager.default.enumerator(atPath: setup.store)?.compactMap { $0 as? String }.first { $0.hasSuffix(".pdr") })
        return OneBackup(list: list.stdout, artifact: setup.store + "/" + artifact)
    }
}
