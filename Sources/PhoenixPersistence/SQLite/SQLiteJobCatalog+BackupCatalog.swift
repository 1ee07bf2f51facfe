import FoundationEssentials
import GRDB
import PhoenixDomain

extension SQLiteJobCatalog: BackupCatalog {
    public func recordBackup(_ record: BackupRecord) async throws {
        try await write("record the backup") { db in try BackupTable.upsert(record, db) }
    }

    public func backup(_ id: BackupID) async throws -> BackupRecord? {
        try await read("read the backup") { db in
            try BackupTable.fetchAll(db, where: "id = ?", arguments: [id.rawValue]).first
        }
    }

    public func backups(_ query: BackupQuery) async throws -> [BackupRecord] {
        try await read("list backups") { db in
            var conditions = ["1 = 1"]
            var arguments = StatementArguments()
            if let dataset = query.dataset {
                conditions.append("dataset = ?")
                arguments += [dataset]
            }
            if let after = query.after {
                guard let snapshot = try Int64.fetchOne(db, sql: "SELECT snapshot_at FROM backups WHERE id = ?",
                                                        arguments: [after.rawValue]) else {
                    throw CatalogError(.notFound, "unknown cursor \"\(after)\"")
                }
                conditions.append("(snapshot_at, id) < (?, ?)")
                arguments += [snapshot, after.rawValue]
            }
            arguments += [max(query.limit, 0)]
            return try BackupTable.fetchAll(db, where: conditions.joined(separator: " AND "),
                                            suffix: "ORDER BY snapshot_at DESC, id DESC LIMIT ?", arguments: arguments)
        }
    }

    public func recordVerification(of id: BackupID, at date: Date, error: String?) async throws {
        try await write("record the verification") { db in
            try db.execute(
                sql: "UPDATE backups SET verified_at = ?, verify_error = ? WHERE id = ?",
                arguments: [error == nil ? date.unixMillis : nil, error, id.rawValue])
            guard db.changesCount > 0 else { throw CatalogError(.notFound, "no backup \(id)") }
        }
    }

    public func setPinned(_ id: BackupID, _ isPinned: Bool) async throws -> BackupRecord? {
        try await write("pin the backup") { db in
            try db.execute(sql: "UPDATE backups SET is_pinned = ? WHERE id = ?", arguments: [isPinned, id.rawValue])
            return try BackupTable.fetchAll(db, where: "id = ?", arguments: [id.rawValue]).first
        }
    }

    public func deleteBackup(_ id: BackupID) async throws {
        try await write("delete the backup") { db in
            try db.execute(sql: "DELETE FROM backups WHERE id = ?", arguments: [id.rawValue])
        }
    }
}
