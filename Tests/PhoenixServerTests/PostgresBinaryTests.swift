import Foundation
import PhoenixTesting
import Testing

/// The binary with a postgres dataset: a backup through the API, then the offline
/// `artifact restore` into the DR cluster, checked against the backup's facts.
@Suite struct PostgresBinaryTests {
    static let environment = ProcessInfo.processInfo.environment
    static let primary = environment["PHOENIX_TEST_POSTGRES"] ?? "postgresql://postgres@127.0.0.1:5433/postgres"
    static let dr = environment["PHOENIX_TEST_POSTGRES_DR"] ?? "postgresql://postgres:dr-secret-pw@127.0.0.1:5434/postgres"

    static func url(_ url: String, database: String) -> String {
        var components = URLComponents(string: url)!
        components.path = "/" + database
        return components.string!
    }

    static func psql(_ url: String, _ sql: String) async throws -> String {
        let result = try await ProcessRunner.run("psql", ["-X", "-v", "ON_ERROR_STOP=1", "-Atq", url, "-c", sql])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func aPostgresBackupIsRestoredOfflineIntoTheDRClusterAndChecked() async throws {
        let database = "phx_bin_" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let target = database + "_dr"
        _ = try await Self.psql(Self.primary, "CREATE DATABASE \(database)")
        defer {
            Task {
                _ = try? await ProcessRunner.run("psql", ["-X", Self.primary, "-c", "DROP DATABASE IF EXISTS \(database) WITH (FORCE)"])
                _ = try? await ProcessRunner.run("psql", ["-X", Self.dr, "-c", "DROP DATABASE IF EXISTS \(target) WITH (FORCE)"])
            }
        }
        let source = Self.url(Self.primary, database: database)
        _ = try await Self.psql(source, """
            CREATE TABLE agents (id int PRIMARY KEY, state text); INSERT INTO agents SELECT g, 'idle-' || g FROM generate_series(1, 3000) g;
            CREATE TABLE schema_migrations (version text); INSERT INTO schema_migrations VALUES ('7');
            """)
        let setup = try await offPool { try BackupBinaryTests.Setup(treeBytes: 0, files: 0) }
        defer { setup.remove() }
        let backup = try await BackupBinaryTests.backUpOnce(setup, configuration: """
            server:
              data_directory: \(setup.directory.path)/data
            stores:
              local: {kind: local, path: \(setup.store)}
            datasets:
              agent_state:
                source: postgres
                url: \(source)
                state_tables: [agents]
                schema_version_query: SELECT max(version) FROM schema_migrations
                tier: Important
                schedule: "0 0 1 1 *"
                retention: {keep_last: 3}
            """, dataset: "agent_state")
        #expect(backup.list.contains(#""record_count":3001"#), "\(backup.list)")
        #expect(backup.list.contains("PostgreSQL 15"), "\(backup.list)")
        let path = backup.artifact
        let restore = try await ProcessRunner.run(BinaryTests.binary.path, [
            "artifact", "restore", path, "--keyring", setup.keyring, "--to", Self.url(Self.dr, database: target),
            "--schema-version-query", "SELECT max(version) FROM schema_migrations",
        ])
        #expect(restore.status == 0, "\(restore.stdout) \(restore.stderr)")
        #expect(restore.stdout.contains("rows: 3001, as recorded"), "\(restore.stdout)")
        #expect(restore.stdout.contains("schema version: 7"))
        #expect(!restore.stdout.contains("dr-secret-pw") && !restore.stderr.contains("dr-secret-pw"))
        #expect(try await Self.psql(Self.url(Self.dr, database: target), "SELECT count(*), max(state) FROM agents") == "3000|idle-999")

        // Restoring again in create mode refuses to touch the existing database.
        let again = try await ProcessRunner.run(BinaryTests.binary.path, [
            "artifact", "restore", path, "--keyring", setup.keyring, "--to", Self.url(Self.dr, database: target),
        ])
        #expect(again.status != 0)
        #expect(again.stderr.contains("already exists"), "\(again.stderr)")

        // A flipped byte in the stored artifact: authentication fails before anything reaches pg_restore.
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        try handle.seek(toOffset: 2000)
        let byte = try handle.read(upToCount: 1) ?? Data([0])
        try handle.seek(toOffset: 2000)
        try handle.write(contentsOf: Data([byte[0] ^ 0xFF]))
        try handle.close()
        let tampered = try await ProcessRunner.run(BinaryTests.binary.path, [
            "artifact", "restore", path, "--keyring", setup.keyring, "--to", Self.url(Self.dr, database: target + "_x"), "--no-globals",
        ])
        #expect(tampered.status != 0)
        #expect(tampered.stderr.contains("failed authentication"), "\(tampered.stderr)")
    }
}
