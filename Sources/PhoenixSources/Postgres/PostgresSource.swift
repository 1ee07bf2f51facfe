import FoundationEssentials
import Logging
import PhoenixDomain
import PhoenixPostgres

/// The `postgres` source (seed: `agent_state`): one database as `pg_dump -Fc`, taken in an
/// exported snapshot, with the roles it needs and the facts a restore is checked against.
///
/// A `REPEATABLE READ` transaction exports its snapshot; `pg_dump --snapshot` dumps exactly what
/// that transaction sees while the transaction counts every table's rows and hashes the
/// configured tables, in parallel. The stream is `PostgresArchiveFormat`: globals, dump, facts.
public struct PostgresSource: BackupSource {
    public struct Settings: Sendable, Equatable {
        /// `postgresql://user:password@host:port/database`.
        public var url: String
        /// Tables whose rows are hashed (`schema.table` or `table` in `public`).
        public var stateTables: [String]
        /// A query whose first column of the first row is the schema version (e.g. the newest
        /// migration), recorded with the backup and checked after a restore.
        public var schemaVersionQuery: String?
        /// Where pg_dump, pg_dumpall, pg_restore and psql are; nil looks them up in PATH.
        public var binDirectory: String?
        /// Whether `pg_dumpall --globals-only` (roles, tablespaces) travels with the dump. Role
        /// passwords are left out (`--no-role-passwords`): replaying them would overwrite the DR
        /// cluster's own, including the one the restore logs in with.
        public var includesGlobals: Bool
        /// pg_dump's `--compress`; `0` (`none` in the configuration) leaves compression to the
        /// pipeline's zstd.
        public var dumpCompression: String

        public init(url: String, stateTables: [String] = [], schemaVersionQuery: String? = nil, binDirectory: String? = nil,
                    includesGlobals: Bool = true, dumpCompression: String = DatasetSpec.defaultDumpCompression) {
            self.url = url
            self.stateTables = stateTables
            self.schemaVersionQuery = schemaVersionQuery
            self.binDirectory = binDirectory
            self.includesGlobals = includesGlobals
            self.dumpCompression = dumpCompression
        }

        func tool(_ name: String) -> String {
            binDirectory.map { "\($0)/\(name)" } ?? name
        }
    }

    public let settings: Settings
    let logger: Logger

    public init(settings: Settings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    public var kind: String { "postgres" }

    /// `-Fc` compresses already, unless told not to: then our zstd, on two cores, does.
    public var isCompressible: Bool { settings.dumpCompression == "0" || settings.dumpCompression == "none" || settings.dumpCompression.hasPrefix("none:") }

    public func snapshot(into sink: any SnapshotSink) async throws -> SnapshotSummary {
        let url = PostgresConnectionURL(settings.url)
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(settings.url, logger: logger)
        } catch {
            throw PostgresSourceError("connecting to the database", error)
        }
        do {
            let facts = try await snapshot(connection: connection, url: url, into: sink)
            await connection.close()
            return SnapshotSummary(snapshotAt: facts.snapshotAt, recordCount: facts.totalRows, contentDigest: facts.digest,
                                   sourceVersion: "PostgreSQL \(facts.serverVersion)" + (facts.schemaVersion.map { ", schema \($0)" } ?? ""))
        } catch let error as PostgresError {
            await connection.close()
            throw PostgresSourceError("taking the snapshot", error)
        } catch {
            await connection.close()
            throw error
        }
    }

    private func snapshot(connection: PostgresConnection, url: PostgresConnectionURL, into sink: any SnapshotSink) async throws -> PostgresSnapshotFacts {
        _ = try await connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        let exported = try await connection.query("SELECT pg_export_snapshot() AS id, now() AS at")
        guard let snapshotID = try exported.first?.string("id"), let snapshotAt = try exported.first?.date("at") else {
            throw ChildProcessError("PostgreSQL did not export a snapshot")
        }
        try await sink.write(PostgresArchiveFormat.magic)
        // pg_dump starts before the roles are read: its start-up (connecting, importing the
        // snapshot, reading the catalog, locking the tables) overlaps pg_dumpall's, and what it
        // writes meanwhile waits in its pipe; the globals frame still comes first.
        let dump = try ChildProcess(settings.tool("pg_dump"), arguments: ["--format=custom", "--compress=\(settings.dumpCompression)", "--snapshot=\(snapshotID)", "--dbname=\(url.withoutPassword)"],
                                    environment: url.environment, redacting: [url.password ?? ""])
        if settings.includesGlobals {
            do {
                try await sink.write(PostgresArchiveFormat.frames(.globals, try await dumpGlobals(url)))
            } catch {
                dump.terminate()
                _ = await dump.wait()
                throw error
            }
        }
        // The facts are read in the snapshot while pg_dump streams; both must finish. They run
        // in a savepoint: an error there (a table the role may not read, a bad version query)
        // aborts only the subtransaction, while an aborted top-level transaction would drop the
        // exported snapshot that pg_dump may not have imported yet.
        _ = try await connection.execute("SAVEPOINT phoenix_facts")
        let factsTask = Task {
            try await PostgresStateHasher.facts(on: connection, stateTables: settings.stateTables,
                                                schemaVersionQuery: settings.schemaVersionQuery, snapshotAt: snapshotAt)
        }
        do {
            while true {
                let piece = try await dump.read(maxCount: PostgresArchiveFormat.maxFrameLength)
                if piece.isEmpty { break }
                try await sink.write(PostgresArchiveFormat.frames(.dump, piece))
            }
        } catch {
            dump.terminate()
            factsTask.cancel()
            _ = await dump.wait()
            _ = try? await factsTask.value
            throw error
        }
        let status = await dump.wait()
        guard status == 0 else {
            // The dump failed: its error, not whatever the counts were doing, is the answer.
            factsTask.cancel()
            _ = try? await factsTask.value
            throw dump.failure(status: status)
        }
        let facts: PostgresSnapshotFacts
        do {
            facts = try await withTaskCancellationHandler { try await factsTask.value } onCancel: { factsTask.cancel() }
        } catch {
            throw PostgresSourceError("counting and hashing rows in the snapshot", error)
        }
        _ = try await connection.execute("COMMIT")
        try await sink.write(PostgresArchiveFormat.frames(.facts, try facts.encoded()))
        return facts
    }

    private func dumpGlobals(_ url: PostgresConnectionURL) async throws -> [UInt8] {
        let tool = try ChildProcess(settings.tool("pg_dumpall"), arguments: ["--globals-only", "--no-role-passwords", "--dbname=\(url.withoutPassword)"],
                                    environment: url.environment, redacting: [url.password ?? ""])
        var sql: [UInt8] = []
        while true {
            let piece = try await tool.read(maxCount: 64 * 1024)
            if piece.isEmpty { break }
            sql += piece
            guard sql.count <= PostgresArchiveFormat.maxMetadataBytes else {
                tool.terminate()
                _ = await tool.wait()
                throw ChildProcessError("pg_dumpall --globals-only wrote more than 16 MiB")
            }
        }
        let status = await tool.wait()
        guard status == 0 else { throw tool.failure(status: status) }
        return sql
    }

    public func makeChecker() -> any SnapshotChecker {
        PostgresArchiveChecker()
    }
}

/// The postgres source's own check in a verify: the archive's frames are whole, the dump starts
/// with pg_dump's signature, and the facts frame is there; count and digest come from it.
final class PostgresArchiveChecker: SnapshotChecker {
    private var reader = PostgresArchiveReader()

    func consume(_ bytes: [UInt8]) throws {
        _ = try reader.consume(bytes)
    }

    func finish() throws -> (recordCount: Int64?, contentDigest: String?) {
        try reader.finish()
        let facts = try PostgresSnapshotFacts.decode(reader.factsJSON ?? [])
        return (facts.totalRows, facts.digest)
    }
}
