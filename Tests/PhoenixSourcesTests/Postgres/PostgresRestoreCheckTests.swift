import Foundation
import PhoenixDomain
@testable import PhoenixSources
import Testing

/// The restore side's checks: the schema version compared with the backup's (blocking or only
/// warning, as configured), and a target that refuses our credentials.
@Suite struct PostgresRestoreCheckTests {
    static func restore(_ bytes: [UInt8], into database: String, onMismatch: SchemaVersionCheck.OnMismatch) async throws -> PostgresRestorer.Report {
        let restorer = PostgresRestorer(settings: .init(url: PostgresFixture.url(PostgresFixture.drURL, database: database), mode: .create,
                                                        schemaVersionQuery: PostgresFixture.schemaVersionQuery, schemaMismatch: onMismatch),
                                        logger: PostgresFixture.logger)
        var pieces = stride(from: 0, to: bytes.count, by: 100_000).map { Array(bytes[$0..<min(bytes.count, $0 + 100_000)]) }[...]
        return try await restorer.restore { pieces.popFirst() }
    }

    /// A backup of a fresh database whose newest migration is 20261120, and the same archive
    /// with the recorded schema version changed to 20261121 (same length: the frame stays valid),
    /// as if the backup came from a database one migration ahead of its dump.
    static func backups() async throws -> (plain: [UInt8], ahead: [UInt8]) {
        let (database, _) = try await PostgresFixture.makeDatabase(rows: 50)
        defer { Task { await PostgresFixture.drop(database, on: PostgresFixture.primaryURL) } }
        let sink = MemorySink()
        _ = try await PostgresSourceTests.source(database).snapshot(into: sink)
        let bytes = await sink.bytes
        let recorded = Array(#""schema_version":"20261120""#.utf8)
        let at = try #require((0...(bytes.count - recorded.count)).last { Array(bytes[$0..<$0 + recorded.count]) == recorded })
        var ahead = bytes
        ahead[at + recorded.count - 2] = UInt8(ascii: "1")
        return (bytes, ahead)
    }

    @Test func aSchemaVersionOtherThanTheBackupsBlocksTheRestoreNamingBoth() async throws {
        let (plain, ahead) = try await Self.backups()
        let matching = PostgresFixture.uniqueName("phx_schema_ok")
        let blocked = PostgresFixture.uniqueName("phx_schema_block")
        defer { Task { for name in [matching, blocked] { await PostgresFixture.drop(name, on: PostgresFixture.drURL) } } }

        let report = try await Self.restore(plain, into: matching, onMismatch: .block)
        #expect(report.facts.schemaVersion == "20261120")
        #expect(report.restored.schemaVersion == "20261120")
        #expect(report.warnings.filter { $0.contains("schema version") }.isEmpty, "\(report.warnings)")

        let mismatch = await #expect(throws: PostgresRestoreMismatch.self) { _ = try await Self.restore(ahead, into: blocked, onMismatch: .block) }
        #expect(mismatch?.problems == ["schema version mismatch: the restored database has 20261120, the backup recorded 20261121"])
        #expect(mismatch?.description.hasPrefix("the restore does not match the backup: schema version mismatch") == true)
    }

    @Test func inWarnModeAMismatchIsAWarningAndTheRestoreSucceeds() async throws {
        let (_, ahead) = try await Self.backups()
        let target = PostgresFixture.uniqueName("phx_schema_warn")
        defer { Task { await PostgresFixture.drop(target, on: PostgresFixture.drURL) } }
        let report = try await Self.restore(ahead, into: target, onMismatch: .warn)
        // (The other warnings are roles that already exist on the DR cluster.)
        #expect(report.warnings.filter { $0.contains("schema version") } == ["schema version mismatch: the restored database has 20261120, the backup recorded 20261121"])
        #expect(report.restored.rowCounts["app.events"] == 50)
        let rows = try await PostgresFixture.query(PostgresFixture.url(PostgresFixture.drURL, database: target), "SELECT count(*) FROM app.events")
        #expect(rows == [["50"]])
    }

    @Test(arguments: [true, false])
    func aTargetThatRefusesTheCredentialsIsAClearErrorWithoutThePassword(restoresGlobals: Bool) async throws {
        let (plain, _) = try await Self.backups()
        let target = PostgresFixture.uniqueName("phx_denied")
        let url = PostgresFixture.url(PostgresFixture.drURL, database: target).replacingOccurrences(of: "dr-secret-pw", with: "wrong-pw-456")
        let restorer = PostgresRestorer(settings: .init(url: url, mode: .create, restoresGlobals: restoresGlobals), logger: PostgresFixture.logger)
        var pieces = [plain][...]
        let error = await #expect(throws: (any Error).self) { _ = try await restorer.restore { pieces.popFirst() } }
        let text = error.map { "\($0)" } ?? ""
        // The globals go first, through psql; without them the first step is creating the database.
        #expect(text.contains(restoresGlobals ? "psql exited with status" : "connecting to the target server"), "\(text)")
        #expect(text.contains("password authentication failed for user \"postgres\""), "\(text)")
        #expect(!text.contains("wrong-pw-456"), "\(text)")
        let databases = try await PostgresFixture.query(PostgresFixture.drURL, "SELECT count(*) FROM pg_database WHERE datname = '\(target)'")
        #expect(databases == [["0"]])
    }
}
