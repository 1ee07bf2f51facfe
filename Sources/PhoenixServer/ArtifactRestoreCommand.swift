import ArgumentParser
import Foundation
import Logging
import PhoenixArtifact
import PhoenixSockets
import PhoenixSources

extension ArtifactCommand {
    /// `phoenix-dr artifact restore FILE --to URL`: a restore with only the keyring and the file,
    /// checked against the facts the backup recorded.
    struct Restore: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Restore a postgres artifact into a database and check it against the backup.",
            discussion: """
                Replays the roles, runs pg_restore on the dump, then compares every table's row count, the \
                state hashes and (with --schema-version-query) the schema version with what the backup \
                recorded. Exits 1 naming each table that differs.
                """)

        @Argument(help: "The .pdr file.")
        var file: String

        @Option(help: "The target database, postgresql://user:password@host:port/database.")
        var to: String

        @Option(help: "create: make the database (it must not exist); clean: restore over it (pg_restore --clean --if-exists).")
        var mode: String = PostgresRestorer.Mode.create.rawValue

        @Flag(name: .customLong("no-globals"), help: "Do not replay the roles recorded with the dump.")
        var skipsGlobals = false

        @Option(name: .customLong("schema-version-query"), help: "The query whose answer must equal the backup's schema version.")
        var schemaVersionQuery: String?

        @OptionGroup var keys: KeyringOptions

        func run() async throws {
            ResourceLimits.tuneMallocForStreaming()
            ResourceLimits.ignoreBrokenPipe()
            guard let mode = PostgresRestorer.Mode(rawValue: mode) else { throw ValidationError("--mode is create or clean") }
            let plaintext = try ArtifactPlaintext(path: file, keyring: try keys.load())
            let restorer = PostgresRestorer(
                settings: .init(url: to, mode: mode, restoresGlobals: !skipsGlobals, schemaVersionQuery: schemaVersionQuery),
                logger: Logger(label: "phoenix-dr.restore", factory: { _ in SwiftLogNoOpLogHandler() }))
            let report = try await restorer.restore { try plaintext.next() }
            for warning in report.warnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
            print("restored: \(report.facts.database) from PostgreSQL \(report.facts.serverVersion), snapshot \(report.facts.snapshotAt.formatted(.iso8601))")
            print("tables: \(report.restored.rowCounts.count), rows: \(report.restored.totalRows), as recorded")
            if !report.facts.stateHashes.isEmpty { print("state hashes: \(report.facts.stateHashes.count) tables, as recorded") }
            if let version = report.facts.schemaVersion { print("schema version: \(version)") }
        }
    }
}

/// An artifact's authenticated plaintext, pulled a piece at a time (about 1 MiB).
final class ArtifactPlaintext {
    private let file: FileHandle
    private var reader: ArtifactReader
    private var isFinished = false

    init(path: String, keyring: Keyring) throws {
        guard let file = FileHandle(forReadingAtPath: path) else { throw ValidationError("cannot read \(path)") }
        self.file = file
        reader = ArtifactReader(keyring: keyring, expectedStoredByteCount: nil)
    }

    deinit {
        try? file.close()
    }

    /// The next plaintext; nil after the last.
    func next() throws -> [UInt8]? {
        while !isFinished {
            var out: [UInt8] = []
            if let data = try file.read(upToCount: 1 << 20), !data.isEmpty {
                try reader.consume(Array(data)) { out += $0 }
            } else {
                try reader.finish { out += $0 }
                isFinished = true
            }
            if !out.isEmpty { return out }
        }
        return nil
    }
}
