import FoundationEssentials
import Logging
import PhoenixDomain
import PhoenixPostgres

/// Restores a `postgres` archive and checks the result against the facts taken at backup time:
/// every table's exact row count, the state hashes, and the schema version (the seed's
/// `version_check … block_on_mismatch` fails the restore on a difference; otherwise it warns).
public struct PostgresRestorer: Sendable {
    public enum Mode: String, Sendable, CaseIterable {
        /// Create the target database (it must not exist), then restore into it.
        case create
        /// Restore over an existing database: `pg_restore --clean --if-exists`.
        case clean
    }

    public struct Settings: Sendable {
        /// The target database's URL; with `.create` the database in it is created.
        public var url: String
        public var mode: Mode
        /// Replays the roles (`pg_dumpall --globals-only`) first; roles that exist are kept.
        public var restoresGlobals: Bool
        /// The query answering the restored database's schema version; nil: no version check.
        public var schemaVersionQuery: String?
        /// What a schema version other than the backup's does: fail the restore, or warn.
        public var schemaMismatch: SchemaVersionCheck.OnMismatch
        public var binDirectory: String?

        public init(url: String, mode: Mode, restoresGlobals: Bool = true, schemaVersionQuery: String? = nil,
                    schemaMismatch: SchemaVersionCheck.OnMismatch = .block, binDirectory: String? = nil) {
            self.url = url
            self.mode = mode
            self.restoresGlobals = restoresGlobals
            self.schemaVersionQuery = schemaVersionQuery
            self.schemaMismatch = schemaMismatch
            self.binDirectory = binDirectory
        }

        func tool(_ name: String) -> String {
            binDirectory.map { "\($0)/\(name)" } ?? name
        }
    }

    /// What a restore did and found.
    public struct Report: Sendable {
        public var facts: PostgresSnapshotFacts
        public var restored: PostgresSnapshotFacts
        /// Lines from replaying the globals that did not stop the restore (roles that existed).
        public var warnings: [String]
        public var dumpBytes: Int64
    }

    public let settings: Settings
    let logger: Logger

    public init(settings: Settings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    /// Restores the archive whose plaintext `next` hands out piece by piece (nil at its end).
    /// - Throws: `PostgresArchiveError` for a damaged archive, `ChildProcessError` when a tool
    ///   fails (with its stderr, passwords redacted), `PostgresRestoreMismatch` when the restored
    ///   data differs from the backup's facts.
    public func restore(next: () async throws -> [UInt8]?) async throws -> Report {
        let target = PostgresConnectionURL(settings.url)
        var reader = PostgresArchiveReader()
        // Globals come first: read until the first dump bytes.
        var firstDump: [UInt8] = []
        while firstDump.isEmpty, let piece = try await next() {
            firstDump = try reader.consume(piece)
        }
        guard !firstDump.isEmpty else {
            try reader.finish()
            throw PostgresArchiveError("the archive holds no dump")
        }
        var warnings: [String] = []
        if settings.restoresGlobals && !reader.globals.isEmpty {
            warnings = try await replayGlobals(reader.globals, on: target)
        }
        if settings.mode == .create { try await createDatabase(target) }
        do {
            return try await restoreDump(firstDump, reader: &reader, next: next, target: target, warnings: warnings)
        } catch {
            // A database this restore created and could not fill is dropped, so a retry can
            // create it again. One that was filled but differs from the backup stays, as the
            // evidence; so does one restored over (clean mode).
            if settings.mode == .create && !(error is PostgresRestoreMismatch) { await dropDatabase(target) }
            throw error
        }
    }

    private func restoreDump(_ firstDump: [UInt8], reader: inout PostgresArchiveReader, next: () async throws -> [UInt8]?,
                             target: PostgresConnectionURL, warnings: [String]) async throws -> Report {
        var arguments = ["--dbname=\(target.withoutPassword)", "--exit-on-error"]
        if settings.mode == .clean { arguments += ["--clean", "--if-exists"] }
        let tool = try ChildProcess(settings.tool("pg_restore"), arguments: arguments, environment: target.environment,
                                    redacting: [target.password ?? ""], feedsStdin: true)
        do {
            try await tool.write(firstDump)
            while let piece = try await next() {
                let dump = try reader.consume(piece)
                if !dump.isEmpty { try await tool.write(dump) }
            }
            try reader.finish()
        } catch {
            // A damaged archive or a failed read: pg_restore must not finish on half a dump.
            tool.terminate()
            tool.closeInput()
            let status = await tool.wait()
            if error is ChildProcessError, status != 0 { throw tool.failure(status: status) }
            throw error
        }
        tool.closeInput()
        let status = await tool.wait()
        guard status == 0 else { throw tool.failure(status: status) }

        let facts = try PostgresSnapshotFacts.decode(reader.factsJSON ?? [])
        let (restored, schemaWarnings) = try await check(target, against: facts)
        return Report(facts: facts, restored: restored, warnings: warnings + schemaWarnings, dumpBytes: reader.dumpByteCount)
    }

    /// Reads the restored database's facts and compares them with the backup's; returns them
    /// with the warnings of a schema version check that only warns.
    private func check(_ target: PostgresConnectionURL, against facts: PostgresSnapshotFacts) async throws -> (PostgresSnapshotFacts, [String]) {
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(target.full, logger: logger)
        } catch {
            throw PostgresSourceError("connecting to the restored database", error)
        }
        do {
            _ = try await connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            let restored = try await PostgresStateHasher.facts(
                on: connection, stateTables: Array(facts.stateHashes.keys), schemaVersionQuery: settings.schemaVersionQuery,
                snapshotAt: Date())
            _ = try await connection.execute("COMMIT")
            await connection.close()
            var problems = facts.differences(from: restored)
            var warnings: [String] = []
            if settings.schemaVersionQuery != nil, let problem = facts.schemaVersionProblem(restored) {
                // Without a recorded version there is nothing to hold the restore to.
                if settings.schemaMismatch == .block && facts.schemaVersion != nil { problems.append(problem) } else { warnings.append(problem) }
            }
            guard problems.isEmpty else { throw PostgresRestoreMismatch(problems: problems) }
            return (restored, warnings)
        } catch let error as PostgresError {
            await connection.close()
            throw PostgresSourceError("checking the restored database", error)
        } catch {
            await connection.close()
            throw error
        }
    }

    /// `psql` over the globals SQL; a role that already exists is a warning, not a failure.
    private func replayGlobals(_ sql: [UInt8], on target: PostgresConnectionURL) async throws -> [String] {
        let maintenance = target.database("postgres")
        let tool = try ChildProcess(settings.tool("psql"), arguments: ["--no-psqlrc", "--quiet", "--dbname=\(maintenance.withoutPassword)"],
                                    environment: maintenance.environment, redacting: [maintenance.password ?? ""], feedsStdin: true)
        do {
            try await tool.write(sql)
        } catch {
            tool.terminate()
        }
        tool.closeInput()
        let status = await tool.wait()
        guard status == 0 else { throw tool.failure(status: status) }
        return tool.errorOutput.split(separator: "\n").map(String.init).filter { $0.contains("ERROR") || $0.contains("WARNING") }
    }

    private func createDatabase(_ target: PostgresConnectionURL) async throws {
        guard let name = URLComponents(string: target.full)?.path.dropFirst(), !name.isEmpty else {
            throw PostgresArchiveError("the target URL names no database to create")
        }
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(target.database("postgres").full, logger: logger)
        } catch {
            throw PostgresSourceError("connecting to the target server", error)
        }
        do {
            // template0: whatever was added to template1 would collide with the dump's objects.
            _ = try await connection.execute("CREATE DATABASE \(PostgresStateHasher.identifier(String(name))) TEMPLATE template0")
            await connection.close()
        } catch {
            await connection.close()
            throw PostgresSourceError("creating database \(name)", error)
        }
    }
}

extension PostgresRestorer {
    func dropDatabase(_ target: PostgresConnectionURL) async {
        guard let name = URLComponents(string: target.full)?.path.dropFirst(), !name.isEmpty,
              let connection = try? await PostgresConnection.connect(target.database("postgres").full, logger: logger) else { return }
        _ = try? await connection.execute("DROP DATABASE IF EXISTS \(PostgresStateHasher.identifier(String(name))) WITH (FORCE)")
        await connection.close()
    }
}
