import Foundation
import PhoenixDomain
import PhoenixPostgres
@testable import PhoenixSources
import Synchronization
import Testing

/// Backups of a real database on the production cluster, restored into the DR cluster.
@Suite struct PostgresSourceTests {
    static func source(_ database: String, url: String = PostgresFixture.primaryURL, stateTables: [String] = ["app.events", "owned"]) -> PostgresSource {
        PostgresSource(settings: .init(url: PostgresFixture.url(url, database: database), stateTables: stateTables,
                                       schemaVersionQuery: PostgresFixture.schemaVersionQuery), logger: PostgresFixture.logger)
    }

    static func restore(_ sink: MemorySink, into url: String, mode: PostgresRestorer.Mode = .create) async throws -> PostgresRestorer.Report {
        let restorer = PostgresRestorer(settings: .init(url: url, mode: mode, schemaVersionQuery: PostgresFixture.schemaVersionQuery),
                                        logger: PostgresFixture.logger)
        var pieces = await sink.pieces()[...]
        return try await restorer.restore { pieces.popFirst() }
    }

    @Test func aBackupRestoredIntoTheOtherClusterHasTheSameRowsCountsAndHashes() async throws {
        let (database, role) = try await PostgresFixture.makeDatabase()
        let target = PostgresFixture.uniqueName("phx_restored")
        defer { Task { await PostgresFixture.drop(database, on: PostgresFixture.primaryURL); await PostgresFixture.drop(target, on: PostgresFixture.drURL) } }
        let sink = MemorySink()
        let summary = try await Self.source(database).snapshot(into: sink)
        let expectedRows: Int64 = 577  // 500 events, 3 odd names, 42 owned, 30 measures, 2 migrations
        #expect(summary.recordCount == expectedRows)
        #expect(summary.sourceVersion?.hasPrefix("PostgreSQL 15") == true)
        #expect(summary.sourceVersion?.hasSuffix("schema 20261120") == true)

        let checker = Self.source(database).makeChecker()
        for piece in await sink.pieces() { try checker.consume(piece) }
        let checked = try await checker.finish()
        #expect(checked.recordCount == summary.recordCount)
        #expect(checked.contentDigest == summary.contentDigest)

        let report = try await Self.restore(sink, into: PostgresFixture.url(PostgresFixture.drURL, database: target))
        #expect(report.restored.rowCounts == report.facts.rowCounts)
        #expect(report.restored.stateHashes == report.facts.stateHashes)
        #expect(report.facts.rowCounts["public.Odd \"Name\""] == 3)
        #expect(report.facts.rowCounts["public.measures"] == 30)
        #expect(report.restored.schemaVersion == "20261120")
        // The owner role came with the globals, and owns its table on the DR side.
        let owner = try await PostgresFixture.query(PostgresFixture.url(PostgresFixture.drURL, database: target),
                                                    "SELECT tableowner FROM pg_tables WHERE tablename = 'owned'")
        #expect(owner == [[role]])
        // Row for row, not only counts: NULLs, bytea and times included.
        let sql = "SELECT id, body, encode(payload, 'hex'), extract(epoch FROM at)::text FROM app.events ORDER BY id"
        let before = try await PostgresFixture.query(PostgresFixture.url(PostgresFixture.primaryURL, database: database), sql)
        let after = try await PostgresFixture.query(PostgresFixture.url(PostgresFixture.drURL, database: target), sql)
        #expect(before.count == 500)
        #expect(before == after)
    }

    /// `dump_compression` reaches pg_dump: at `0` the rows travel as text for our zstd to
    /// compress (the source says it is compressible), at the default level 1 pg_dump deflates them.
    @Test(arguments: ["0", DatasetSpec.defaultDumpCompression])
    func theDumpCompressionReachesPgDumpAndEitherArchiveRestores(level: String) async throws {
        let (database, _) = try await PostgresFixture.makeDatabase(rows: 50)
        let target = PostgresFixture.uniqueName("phx_restored")
        defer { Task { await PostgresFixture.drop(database, on: PostgresFixture.primaryURL); await PostgresFixture.drop(target, on: PostgresFixture.drURL) } }
        let source = PostgresSource(settings: .init(url: PostgresFixture.url(PostgresFixture.primaryURL, database: database), dumpCompression: level),
                                    logger: PostgresFixture.logger)
        #expect(source.isCompressible == (level == "0"))
        let sink = MemorySink()
        _ = try await source.snapshot(into: sink)
        let firstBody = Array("c4ca4238a0b923820dcc509a6f75849b".utf8)  // md5('1'), row 1 of app.events
        let bytes = await sink.bytes
        let plain = (0...(bytes.count - firstBody.count)).contains { bytes[$0..<$0 + firstBody.count].elementsEqual(firstBody) }
        #expect(plain == (level == "0"))
        let report = try await Self.restore(sink, into: PostgresFixture.url(PostgresFixture.drURL, database: target))
        #expect(report.restored.rowCounts == report.facts.rowCounts)
        #expect(report.facts.rowCounts["app.events"] == 50)
    }

    @Test func cleanModeRestoresOverAnExistingDatabaseAndCreateModeRefusesIt() async throws {
        let (database, _) = try await PostgresFixture.makeDatabase(rows: 100)
        let target = PostgresFixture.uniqueName("phx_restored")
        defer { Task { await PostgresFixture.drop(database, on: PostgresFixture.primaryURL); await PostgresFixture.drop(target, on: PostgresFixture.drURL) } }
        let sink = MemorySink()
        _ = try await Self.source(database).snapshot(into: sink)
        let url = PostgresFixture.url(PostgresFixture.drURL, database: target)
        _ = try await Self.restore(sink, into: url)
        // Rows written on the DR side since are replaced by the backup's.
        try await PostgresFixture.run(url, ["DELETE FROM app.events WHERE id > 50", "INSERT INTO public.owned VALUES (1000)"])
        let again = try await Self.restore(sink, into: url, mode: .clean)
        #expect(again.restored.rowCounts["app.events"] == 100)
        #expect(again.restored.rowCounts["public.owned"] == 42)
        let refused = await #expect(throws: PostgresSourceError.self) { _ = try await Self.restore(sink, into: url, mode: .create) }
        #expect(refused?.description.contains("already exists") == true, "\(refused.map { "\($0)" } ?? "")")
    }

    @Test func rowsChangedAfterTheBackupAreNamedByTheHashCheck() async throws {
        let (database, _) = try await PostgresFixture.makeDatabase(rows: 50)
        defer { Task { await PostgresFixture.drop(database, on: PostgresFixture.primaryURL) } }
        let sink = MemorySink()
        _ = try await Self.source(database).snapshot(into: sink)
        var reader = PostgresArchiveReader()
        _ = try reader.consume(await sink.bytes)
        let facts = try PostgresSnapshotFacts.decode(reader.factsJSON ?? [])

        let url = PostgresFixture.url(PostgresFixture.primaryURL, database: database)
        try await PostgresFixture.run(url, ["UPDATE app.events SET body = 'changed' WHERE id = 3", "DELETE FROM public.owned WHERE v = 1"])
        let connection = try await PostgresConnection.connect(url, logger: PostgresFixture.logger)
        _ = try await connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")  // the cursor needs a transaction
        let live = try await PostgresStateHasher.facts(on: connection, stateTables: Array(facts.stateHashes.keys),
                                                       schemaVersionQuery: nil, snapshotAt: Date())
        await connection.close()
        let problems = facts.differences(from: live)
        #expect(problems == [
            "table public.owned has 41 rows; the backup had 42",
            "table app.events: state hash differs from the backup's",
            "table public.owned: state hash differs from the backup's",
        ])
    }

    @Test func theDumpIsInTheSnapshotEvenWhileRowsAreWritten() async throws {
        let (database, _) = try await PostgresFixture.makeDatabase(rows: 20_000)
        let target = PostgresFixture.uniqueName("phx_restored")
        defer { Task { await PostgresFixture.drop(database, on: PostgresFixture.primaryURL); await PostgresFixture.drop(target, on: PostgresFixture.drURL) } }
        let url = PostgresFixture.url(PostgresFixture.primaryURL, database: database)
        // Rows inserted once the snapshot is taken (the first write) are in neither the dump
        // nor the counts: both see the same snapshot.
        let inserted = Atomic<Bool>(false)
        let sink = MemorySink { _ in
            if !inserted.exchange(true, ordering: .relaxed) {
                try await PostgresFixture.run(url, ["INSERT INTO app.events SELECT g, 'late', NULL, now() FROM generate_series(100001, 100500) g"])
            }
        }
        let summary = try await Self.source(database).snapshot(into: sink)
        let report = try await Self.restore(sink, into: PostgresFixture.url(PostgresFixture.drURL, database: target))
        #expect(report.facts.rowCounts["app.events"] == 20_000)
        #expect(report.restored.rowCounts["app.events"] == 20_000)
        #expect(summary.recordCount == report.facts.totalRows)
    }

    @Test func badCredentialsAreAClearErrorWithoutThePassword() async throws {
        let url = PostgresFixture.drURL.replacingOccurrences(of: "dr-secret-pw", with: "wrong-pw-123")
        let error = await #expect(throws: (any Error).self) { _ = try await Self.source("postgres", url: url).snapshot(into: MemorySink()) }
        let text = "\(error.map { "\($0)" } ?? "")"
        #expect(text.contains("password authentication failed"), "\(text)")
        #expect(!text.contains("wrong-pw-123"))
    }

    @Test func aToolErrorCarriesItsStderrWithThePasswordRedacted() async throws {
        // The role may connect and take the snapshot, but not read a table: pg_dump fails.
        let role = PostgresFixture.uniqueName("phx_weak")
        let table = PostgresFixture.uniqueName("phx_secret")
        try await PostgresFixture.run(PostgresFixture.drURL, [
            "CREATE ROLE \(role) LOGIN PASSWORD 'weak-secret-9'", "CREATE TABLE public.\(table) (v int)",
        ])
        defer {
            Task { try? await PostgresFixture.run(PostgresFixture.drURL, ["DROP TABLE IF EXISTS public.\(table)", "DROP ROLE IF EXISTS \(role)"]) }
        }
        let url = "postgresql://\(role):weak-secret-9@127.0.0.1:\(URLComponents(string: PostgresFixture.drURL)!.port!)/postgres"
        let source = PostgresSource(settings: .init(url: url, includesGlobals: false), logger: PostgresFixture.logger)
        let error = await #expect(throws: ChildProcessError.self) { _ = try await source.snapshot(into: MemorySink()) }
        let text = error.map { "\($0)" } ?? ""
        #expect(text.contains("pg_dump exited with status 1"), "\(text)")
        #expect(text.contains("permission denied"), "\(text)")
        #expect(!text.contains("weak-secret-9"))
    }

    @Test func aFailingVersionQueryIsNamedAndTheDumpBesideItStillImportsTheSnapshot() async throws {
        // The query fails in the snapshot's transaction while pg_dump is starting: the error must
        // be the query's, not pg_dump's "could not import the requested snapshot".
        let (database, _) = try await PostgresFixture.makeDatabase(rows: 10)
        defer { Task { await PostgresFixture.drop(database, on: PostgresFixture.primaryURL) } }
        let source = PostgresSource(settings: .init(url: PostgresFixture.url(PostgresFixture.primaryURL, database: database),
                                                    schemaVersionQuery: "SELECT 1 / 0"), logger: PostgresFixture.logger)
        let error = await #expect(throws: PostgresSourceError.self) { _ = try await source.snapshot(into: MemorySink()) }
        let text = error.map { "\($0)" } ?? ""
        #expect(text.contains("counting and hashing rows"), "\(text)")
        #expect(text.contains("division by zero"), "\(text)")
    }

    @Test func aDumpWhoseServerSideIsKilledMidStreamFailsTheBackup() async throws {
        let (database, _) = try await PostgresFixture.makeDatabase(rows: 100_000)
        defer { Task { await PostgresFixture.drop(database, on: PostgresFixture.primaryURL) } }
        let killed = Atomic<Bool>(false)
        let sink = MemorySink { count in
            // Once dump bytes flow, end pg_dump's server process, as a crash or failover would.
            guard count > 64 * 1024, !killed.exchange(true, ordering: .relaxed) else { return }
            try await PostgresFixture.run(PostgresFixture.primaryURL, [
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'pg_dump' AND datname = '\(database)'",
            ])
        }
        let error = await #expect(throws: (any Error).self) { _ = try await Self.source(database).snapshot(into: sink) }
        #expect("\(error.map { "\($0)" } ?? "")".contains("pg_dump exited with status"), "\(error.map { "\($0)" } ?? "")")
    }

    @Test func aCorruptedOrTruncatedArchiveFailsTheRestoreAndCreatesNothingComplete() async throws {
        let (database, _) = try await PostgresFixture.makeDatabase(rows: 2000)
        defer { Task { await PostgresFixture.drop(database, on: PostgresFixture.primaryURL) } }
        let sink = MemorySink()
        _ = try await Self.source(database).snapshot(into: sink)
        let bytes = await sink.bytes

        // Cut before the facts frame: the restore stops and says why.
        let truncated = MemorySink()
        try await truncated.write(Array(bytes.dropLast(40)))
        let target = PostgresFixture.uniqueName("phx_cut")
        defer { Task { await PostgresFixture.drop(target, on: PostgresFixture.drURL) } }
        let cut = await #expect(throws: (any Error).self) {
            _ = try await Self.restore(truncated, into: PostgresFixture.url(PostgresFixture.drURL, database: target))
        }
        #expect("\(cut.map { "\($0)" } ?? "")".contains("truncated"))

        // Facts that do not match what the dump holds: the check after pg_restore names the table.
        // (A flipped byte in a stored artifact never gets this far: it fails authentication.)
        let pattern = Array(#""app.events":2000"#.utf8)
        let at = try #require((0...(bytes.count - pattern.count)).last { Array(bytes[$0..<$0 + pattern.count]) == pattern })
        var tampered = bytes
        tampered[at + pattern.count - 1] = UInt8(ascii: "1")  // same length: the frame stays valid
        let damaged = MemorySink()
        try await damaged.write(tampered)
        let other = PostgresFixture.uniqueName("phx_facts")
        defer { Task { await PostgresFixture.drop(other, on: PostgresFixture.drURL) } }
        let mismatch = await #expect(throws: PostgresRestoreMismatch.self) {
            _ = try await Self.restore(damaged, into: PostgresFixture.url(PostgresFixture.drURL, database: other))
        }
        #expect(mismatch?.problems == ["table app.events has 2000 rows; the backup had 2001"])
    }
}
