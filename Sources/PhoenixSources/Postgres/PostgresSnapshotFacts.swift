import FoundationEssentials

/// What a `postgres` backup knows about its snapshot, stored as the archive's last frame and used
/// to check a restore exactly.
public struct PostgresSnapshotFacts: Codable, Sendable, Equatable {
    public var database: String
    /// `server_version` (e.g. `15.14`).
    public var serverVersion: String
    /// The answer of the dataset's `schema_version_query`, if it has one.
    public var schemaVersion: String?
    public var snapshotAt: Date
    /// Exact row counts of every user table, by `schema.table`.
    public var rowCounts: [String: Int64]
    /// SHA-256 over each configured table's rows in a stable order, by `schema.table`.
    public var stateHashes: [String: String]

    public init(database: String, serverVersion: String, schemaVersion: String?, snapshotAt: Date,
                rowCounts: [String: Int64], stateHashes: [String: String]) {
        self.database = database
        self.serverVersion = serverVersion
        self.schemaVersion = schemaVersion
        self.snapshotAt = snapshotAt
        self.rowCounts = rowCounts
        self.stateHashes = stateHashes
    }

    enum CodingKeys: String, CodingKey {
        case database, serverVersion = "server_version", schemaVersion = "schema_version", snapshotAt = "snapshot_at"
        case rowCounts = "row_counts", stateHashes = "state_hashes"
    }

    /// The rows of all tables.
    public var totalRows: Int64 { rowCounts.values.reduce(0, +) }

    /// One digest over every count and hash, in key order: the backup's `content_digest`.
    public var digest: String {
        var lines = rowCounts.sorted { $0.key < $1.key }.map { "count \($0.key) \($0.value)" }
        lines += stateHashes.sorted { $0.key < $1.key }.map { "hash \($0.key) \($0.value)" }
        return PostgresStateHasher.hex(Array(lines.joined(separator: "\n").utf8))
    }

    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return Array(try encoder.encode(self))
    }

    public static func decode(_ bytes: [UInt8]) throws -> PostgresSnapshotFacts {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(PostgresSnapshotFacts.self, from: Data(bytes))
    }

    /// The schema version check's finding, naming both versions; nil when they are equal.
    public func schemaVersionProblem(_ restored: PostgresSnapshotFacts) -> String? {
        guard restored.schemaVersion != schemaVersion else { return nil }
        guard let recorded = schemaVersion else {
            return "schema version not checked: the backup recorded none; the restored database has \(restored.schemaVersion ?? "none")"
        }
        return "schema version mismatch: the restored database has \(restored.schemaVersion ?? "none"), the backup recorded \(recorded)"
    }

    /// The differences between these facts (the backup's) and `restored`, one sentence each,
    /// naming the table; empty when the restore matches.
    public func differences(from restored: PostgresSnapshotFacts) -> [String] {
        var problems: [String] = []
        for (table, count) in rowCounts.sorted(by: { $0.key < $1.key }) {
            guard let actual = restored.rowCounts[table] else {
                problems.append("table \(table) is missing after the restore")
                continue
            }
            if actual != count { problems.append("table \(table) has \(actual) rows; the backup had \(count)") }
        }
        for table in restored.rowCounts.keys.sorted() where rowCounts[table] == nil {
            problems.append("table \(table) exists after the restore but not in the backup")
        }
        for (table, hash) in stateHashes.sorted(by: { $0.key < $1.key }) where restored.stateHashes[table] != hash {
            problems.append("table \(table): state hash differs from the backup's")
        }
        return problems
    }
}
