import ArgumentParser
import Foundation
import Logging
import PhoenixArtifact
import PhoenixDomain
import PhoenixSources

extension ArtifactCommand.Restore {
    func restorePostgres(_ plaintext: ArtifactPlaintext, to url: String, logger: Logger) async throws {
        guard let mode = PostgresRestorer.Mode(rawValue: mode) else { throw ValidationError("--mode is create or clean") }
        let check = try schemaVersionCheck()
        let restorer = PostgresRestorer(
            settings: .init(url: url, mode: mode, restoresGlobals: !skipsGlobals, schemaVersionQuery: check?.query,
                            schemaMismatch: check?.onMismatch ?? .block), logger: logger)
        let report = try await restorer.restore { try await plaintext.next() }
        for warning in report.warnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
        print("restored: \(report.facts.database) from PostgreSQL \(report.facts.serverVersion), snapshot \(report.facts.snapshotAt.formatted(.iso8601))")
        print("tables: \(report.restored.rowCounts.count), rows: \(report.restored.totalRows), as recorded")
        if !report.facts.stateHashes.isEmpty { print("state hashes: \(report.facts.stateHashes.count) tables, as recorded") }
        if let version = report.facts.schemaVersion {
            let matches = check == nil || report.restored.schemaVersion == version
            print("schema version: \(version)" + (check == nil ? " (not checked)" : matches ? ", as recorded" : ""))
        }
    }

    /// The schema version check: the query from `--schema-version-query` or the dataset's
    /// `schema_version_query` in `--config`; blocking or warning by `--schema-mismatch`, else by
    /// the dataset's `integrity_checks` (`version_check … block_on_mismatch` blocks), else a
    /// query given on the command line alone blocks. Nil: no check.
    private func schemaVersionCheck() throws -> SchemaVersionCheck? {
        var configured: SchemaVersionCheck?
        if let path = keys.config {
            let configuration = try ConfigFile.configuration(at: path)
            if let name = try dataset ?? datasetInManifest() {
                guard configuration.dataset(named: name) != nil else { throw ValidationError("--config \(path) has no dataset \(name)") }
                configured = configuration.schemaVersionCheck(forDataset: name)
            } else {
                FileHandle.standardError.write(Data("warning: no manifest beside the artifact and no --dataset: --config's schema version check does not apply\n".utf8))
            }
        }
        guard let query = schemaVersionQuery ?? configured?.query else { return nil }
        return SchemaVersionCheck(query: query, onMismatch: schemaMismatch ?? configured?.onMismatch ?? .block)
    }

    /// The dataset named by the manifest beside the artifact (`X.manifest.json` for `X.pdr`).
    private func datasetInManifest() throws -> String? {
        let path = file.hasSuffix(".pdr") ? String(file.dropLast(4)) + ArtifactFiles.manifestSuffix : file + ArtifactFiles.manifestSuffix
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let bytes = Array(try handle.read(upToCount: ArtifactManifest.maximumByteCount + 1) ?? Data())
        return try ArtifactManifest.decode(bytes).dataset
    }
}

extension SchemaVersionCheck.OnMismatch: ExpressibleByArgument {}
