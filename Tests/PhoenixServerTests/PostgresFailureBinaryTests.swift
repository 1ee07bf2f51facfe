import Foundation
import PhoenixTesting
import Testing

/// Postgres backups that fail, through the server binary: each a `failed` job with a readable
/// error naming the cause, no password in it or in the log, and nothing in the store or the
/// catalog that could pass for a backup.
@Suite struct PostgresFailureBinaryTests {
    /// A configuration with one postgres dataset, `agent_state`, reading `url`.
    static func writeConfiguration(_ setup: BackupBinaryTests.Setup, url: String, dumpCompression: String = "1") throws {
        try """
            server:
              data_directory: \(setup.directory.path)/data
            stores:
              local: {kind: local, path: \(setup.store)}
            datasets:
              agent_state: {source: postgres, url: "\(url)", tier: Important, schedule: "0 0 1 1 *", retention: {keep_last: 3}, dump_compression: "\(dumpCompression)"}
            """.write(to: setup.file, atomically: true, encoding: .utf8)
    }

    /// Waits for the job to end `failed` and returns its JSON.
    static func failedJob(_ id: String, server: LoggedServer, token: String) async throws -> String {
        var job = ""
        #expect(await eventually(timeout: .seconds(120), poll: .milliseconds(100)) {
            job = (try? await BackupBinaryTests.job(id, port: server.port, token: token)) ?? ""
            return job.contains(#""state":"failed""#) || job.contains(#""state":"succeeded""#)
        }, "\(job)")
        #expect(job.contains(#""state":"failed""#), "\(job)")
        return job
    }

    /// Files in the store that look like a finished backup (temporary files are hidden).
    static func finishedFiles(_ setup: BackupBinaryTests.Setup) -> [String] {
        (FileManager.default.enumerator(atPath: setup.store)?.compactMap { $0 as? String } ?? [])
            .filter { $0.hasSuffix(".pdr") || $0.hasSuffix(".manifest.json") }
    }

    static func catalogIsEmpty(_ server: LoggedServer, token: String) async throws -> Bool {
        let backups = try await BackupBinaryTests.curl(["-H", "Authorization: Bearer \(token)", "http://127.0.0.1:\(server.port)/v1/backups"])
        return backups.hasPrefix(#"{"items":[]"#)
    }

    @Test func badCredentialsFailTheJobWithAReadableErrorAndNoPassword() async throws {
        let url = PostgresBinaryTests.dr.replacingOccurrences(of: "dr-secret-pw", with: "wrong-pw-789")
        let setup = try await offPool { try BackupBinaryTests.Setup(treeBytes: 0, files: 0) }
        defer { setup.remove() }
        try Self.writeConfiguration(setup, url: url)
        let server = try await LoggedServer.start(config: setup.file)
        defer { if server.process.isRunning { server.process.kill(SIGKILL) } }
        let token = try BackupBinaryTests.token(setup)
        let job = try await Self.failedJob(try await BackupBinaryTests.triggerBackup(port: server.port, token: token, dataset: "agent_state"),
                                           server: server, token: token)
        #expect(job.contains(#"password authentication failed for user \"postgres\""#), "the job names the cause: \(job)")
        #expect(!job.contains("wrong-pw-789"), "\(job)")
        #expect(!server.log.contains("wrong-pw-789"))
        #expect(Self.finishedFiles(setup).isEmpty)
        #expect(try await Self.catalogIsEmpty(server, token: token))
        await server.stop()
    }

    @Test func theClusterStoppedWhilePgDumpStreamsFailsTheJobAndLeavesNoCompleteArtifact() async throws {
        let cluster = try await ScratchService.start(.postgres(password: nil))
        defer { Task { await cluster.stop() } }
        let admin = "postgresql://postgres@127.0.0.1:\(cluster.port)/postgres"
        _ = try await PostgresBinaryTests.psql(admin, "CREATE DATABASE agents")
        let source = PostgresBinaryTests.url(admin, database: "agents")
        // About 110 MB of rows: at zlib level 9 pg_dump compresses them for seconds, time
        // enough to stop the server while its COPY streams.
        _ = try await PostgresBinaryTests.psql(source, "CREATE TABLE big AS SELECT g AS id, md5(g::text) || md5((g + 1)::text) AS body FROM generate_series(1, 1500000) g")
        let setup = try await offPool { try BackupBinaryTests.Setup(treeBytes: 0, files: 0) }
        defer { setup.remove() }
        try Self.writeConfiguration(setup, url: source, dumpCompression: "9")
        let server = try await LoggedServer.start(config: setup.file)
        defer { if server.process.isRunning { server.process.kill(SIGKILL) } }
        let token = try BackupBinaryTests.token(setup)
        let jobID = try await BackupBinaryTests.triggerBackup(port: server.port, token: token, dataset: "agent_state")

        let copying = "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pg_dump' AND query LIKE 'COPY public.big %'"
        #expect(await eventually(timeout: .seconds(60), poll: .milliseconds(20)) {
            (try? await ProcessRunner.run("psql", ["-X", "-Atq", admin, "-c", copying]).stdout.hasPrefix("1")) == true
        }, "pg_dump never started copying the table")
        await cluster.stop()  // a fast shutdown (SIGINT): every backend, pg_dump's among them, is ended

        let job = try await Self.failedJob(jobID, server: server, token: token)
        // The attempt that was under way names the tool, the table and the server's end; the
        // retry then found the server shutting down or gone, and the job says it failed.
        #expect(job.contains(#"pg_dump exited with status 1: pg_dump: error: Dumping the contents of table \"big\" failed"#), "\(job)")
        #expect(job.contains("terminating connection due to administrator command") || job.contains("server closed the connection"),
                "and the server's reason: \(job)")
        #expect(job.contains(#""error":"snapshot failed after"#), "\(job)")
        #expect(Self.finishedFiles(setup).isEmpty, "\(Self.finishedFiles(setup))")
        #expect(try await Self.catalogIsEmpty(server, token: token))
        await server.stop()
    }
}
