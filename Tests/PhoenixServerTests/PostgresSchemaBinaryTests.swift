import Foundation
import PhoenixTesting
import Testing

/// `artifact restore --config`: the schema version check comes from the dataset's
/// `schema_version_query` and the seed's `integrity_checks … version_check` action, with no
/// flag on the command line.
@Suite struct PostgresSchemaBinaryTests {
    /// The server's configuration plus the seed's integrity check, with `query` as the dataset's
    /// schema version query and `action` as the version check's.
    static func configuration(_ setup: BackupBinaryTests.Setup, source: String, query: String, action: String) -> String {
        """
        server:
          data_directory: \(setup.directory.path)/data
        stores:
          local: {kind: local, path: \(setup.store)}
        datasets:
          agent_state:
            source: postgres
            url: \(source)
            schema_version_query: \(query)
            tier: Important
            schedule: "0 0 1 1 *"
            retention: {keep_last: 3}
        integrity_checks:
          agent_state:
            - type: state_hash
              interval: 5m
              action: alert_on_mismatch
            - type: version_check
              interval: 1m
              action: \(action)
        """
    }

    @Test func theConfiguredVersionCheckPassesAMatchBlocksAMismatchAndOnlyWarnsWhenToldTo() async throws {
        let database = "phx_schema_" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let targets = ["match", "block", "warn"].map { database + "_" + $0 }
        _ = try await PostgresBinaryTests.psql(PostgresBinaryTests.primary, "CREATE DATABASE \(database)")
        defer {
            Task {
                _ = try? await ProcessRunner.run("psql", ["-X", PostgresBinaryTests.primary, "-c", "DROP DATABASE IF EXISTS \(database) WITH (FORCE)"])
                for target in targets {
                    _ = try? await ProcessRunner.run("psql", ["-X", PostgresBinaryTests.dr, "-c", "DROP DATABASE IF EXISTS \(target) WITH (FORCE)"])
                }
            }
        }
        let source = PostgresBinaryTests.url(PostgresBinaryTests.primary, database: database)
        _ = try await PostgresBinaryTests.psql(source, """
            CREATE TABLE agents (id int PRIMARY KEY); INSERT INTO agents SELECT generate_series(1, 100);
            CREATE TABLE schema_migrations (version text); INSERT INTO schema_migrations VALUES ('6'), ('7');
            """)
        let setup = try await offPool { try BackupBinaryTests.Setup(treeBytes: 0, files: 0) }
        defer { setup.remove() }
        let query = "SELECT max(version) FROM schema_migrations"
        let backup = try await BackupBinaryTests.backUpOnce(
            setup, configuration: Self.configuration(setup, source: source, query: query, action: "block_on_mismatch"), dataset: "agent_state")

        // The restoring side's configuration: the same check, or one whose query answers a newer
        // version than the backup recorded (a DR application one migration ahead).
        func restore(_ target: String, query: String, action: String) async throws -> ProcessRunner.Output {
            let file = setup.directory.path + "/restore-\(target).yaml"
            try Self.configuration(setup, source: source, query: query, action: action).write(toFile: file, atomically: true, encoding: .utf8)
            return try await ProcessRunner.run(BinaryTests.binary.path, [
                "artifact", "restore", backup.artifact, "--keyring", setup.keyring, "--config", file,
                "--to", PostgresBinaryTests.url(PostgresBinaryTests.dr, database: target), "--no-globals",
            ])
        }
        let ahead = "SELECT (max(version)::int + 1)::text FROM schema_migrations"

        let match = try await restore(targets[0], query: query, action: "block_on_mismatch")
        #expect(match.status == 0, "\(match.stdout) \(match.stderr)")
        #expect(match.stdout.contains("schema version: 7, as recorded"), "\(match.stdout)")

        let blocked = try await restore(targets[1], query: ahead, action: "block_on_mismatch")
        #expect(blocked.status != 0, "\(blocked.stdout)")
        #expect(blocked.stderr.contains("schema version mismatch: the restored database has 8, the backup recorded 7"), "\(blocked.stderr)")

        let warned = try await restore(targets[2], query: ahead, action: "alert_on_mismatch")
        #expect(warned.status == 0, "\(warned.stdout) \(warned.stderr)")
        #expect(warned.stderr.contains("warning: schema version mismatch: the restored database has 8, the backup recorded 7"), "\(warned.stderr)")
        #expect(warned.stdout.contains("rows: 102, as recorded"), "\(warned.stdout)")
    }
}
