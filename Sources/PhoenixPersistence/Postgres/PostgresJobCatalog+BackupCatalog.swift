import FoundationEssentials
import PhoenixDomain
import PhoenixPostgres

extension PostgresJobCatalog: BackupCatalog {
    public func recordBackup(_ record: BackupRecord) async throws {
        let schema = schema
        try await withConnection("record the backup") { connection in
            try await connection.execute(
                """
                INSERT INTO \(schema).backups AS backup (\(PostgresBackupRows.insertColumns)) VALUES (\(PostgresBackupRows.insertValues))
                ON CONFLICT (id) DO UPDATE SET
                    dataset = excluded.dataset, tier = excluded.tier, source_kind = excluded.source_kind,
                    source_version = excluded.source_version, store = excluded.store, object_key = excluded.object_key,
                    manifest_key = excluded.manifest_key, snapshot_at = excluded.snapshot_at, started_at = excluded.started_at,
                    finished_at = excluded.finished_at, raw_bytes = excluded.raw_bytes, stored_bytes = excluded.stored_bytes,
                    sha256 = excluded.sha256, compression = excluded.compression, key_id = excluded.key_id,
                    record_count = excluded.record_count, content_digest = excluded.content_digest, labels = excluded.labels,
                    job_id = coalesce(excluded.job_id, backup.job_id)
                """, PostgresBackupRows.parameters(of: record))
        }
    }

    public func backup(_ id: BackupID) async throws -> BackupRecord? {
        try await fetchBackups("read the backup", where: "id = $1", [.text(id.rawValue)]).first
    }

    public func backups(_ query: BackupQuery) async throws -> [BackupRecord] {
        let schema = schema
        return try await withConnection("list backups") { connection in
            var conditions = ["true"]
            var parameters: [PostgresValue] = []
            if let dataset = query.dataset {
                parameters.append(.text(dataset))
                conditions.append("dataset = $\(parameters.count)")
            }
            if let after = query.after {
                let cursor = try await connection.query("SELECT 1 FROM \(schema).backups WHERE id = $1", [.text(after.rawValue)])
                guard !cursor.isEmpty else { throw CatalogError(.notFound, "unknown cursor \"\(after)\"") }
                parameters.append(.text(after.rawValue))
                conditions.append("(snapshot_at, id) < (SELECT snapshot_at, id FROM \(schema).backups WHERE id = $\(parameters.count))")
            }
            parameters.append(.int(Int64(max(query.limit, 0))))
            let rows = try await connection.query(
                """
                SELECT \(PostgresBackupRows.selectColumns) FROM \(schema).backups WHERE \(conditions.joined(separator: " AND "))
                ORDER BY snapshot_at DESC, id DESC LIMIT $\(parameters.count)
                """, parameters)
            return try rows.map(PostgresBackupRows.decode)
        }
    }

    public func recordVerification(of id: BackupID, at date: Date, error: String?) async throws {
        let schema = schema
        let changed = try await withConnection("record the verification") { connection in
            try await connection.execute(
                "UPDATE \(schema).backups SET verified_at = \(PostgresJobRows.at(2)), verify_error = $3 WHERE id = $1",
                [.text(id.rawValue), error == nil ? .int(date.unixMillis) : .null, PostgresJobRows.text(error)])
        }
        guard changed > 0 else { throw CatalogError(.notFound, "no backup \(id)") }
    }

    public func setPinned(_ id: BackupID, _ isPinned: Bool) async throws -> BackupRecord? {
        try await fetchBackups("pin the backup", where: "id = $1", [.text(id.rawValue)],
                               before: "UPDATE \(schema).backups SET is_pinned = $2 WHERE id = $1", [.bool(isPinned)]).first
    }

    public func deleteBackup(_ id: BackupID) async throws {
        let schema = schema
        try await withConnection("delete the backup") { connection in
            try await connection.execute("DELETE FROM \(schema).backups WHERE id = $1", [.text(id.rawValue)])
        }
    }

    /// Backups matching `condition`, after running `update` (with the same first parameters) if given.
    private func fetchBackups(_ action: String, where condition: String, _ parameters: [PostgresValue],
                              before update: String? = nil, _ updateParameters: [PostgresValue] = []) async throws -> [BackupRecord] {
        let schema = schema
        return try await withConnection(action) { connection in
            if let update { try await connection.execute(update, parameters + updateParameters) }
            let rows = try await connection.query(
                "SELECT \(PostgresBackupRows.selectColumns) FROM \(schema).backups WHERE \(condition)", parameters)
            return try rows.map(PostgresBackupRows.decode)
        }
    }
}
