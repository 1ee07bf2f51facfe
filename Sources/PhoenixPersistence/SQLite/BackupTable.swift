import FoundationEssentials
import GRDB
import PhoenixDomain

/// Reads and writes rows of the `backups` table; each function runs inside the caller's transaction.
enum BackupTable {
    static let columns = """
        id, dataset, tier, source_kind, source_version, store, object_key, manifest_key, snapshot_at, started_at, \
        finished_at, raw_bytes, stored_bytes, sha256, compression, key_id, record_count, content_digest, labels, job_id, \
        verified_at, verify_error, is_pinned
        """

    /// Inserts `record`, or replaces the row with its id, keeping verification and pin.
    static func upsert(_ record: BackupRecord, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO backups (\(columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET
                    dataset = excluded.dataset, tier = excluded.tier, source_kind = excluded.source_kind,
                    source_version = excluded.source_version, store = excluded.store, object_key = excluded.object_key,
                    manifest_key = excluded.manifest_key, snapshot_at = excluded.snapshot_at, started_at = excluded.started_at,
                    finished_at = excluded.finished_at, raw_bytes = excluded.raw_bytes, stored_bytes = excluded.stored_bytes,
                    sha256 = excluded.sha256, compression = excluded.compression, key_id = excluded.key_id,
                    record_count = excluded.record_count, content_digest = excluded.content_digest, labels = excluded.labels,
                    job_id = coalesce(excluded.job_id, backups.job_id)
                """,
            arguments: [
                record.id.rawValue, record.dataset, record.tier.rawValue, record.sourceKind, record.sourceVersion, record.store,
                record.objectKey, record.manifestKey, record.snapshotAt.unixMillis, record.startedAt.unixMillis,
                record.finishedAt.unixMillis, record.rawBytes, record.storedBytes, record.sha256, record.compression,
                record.keyID, record.recordCount, record.contentDigest, StoredJSONMap.encode(record.labels),
                record.jobID?.rawValue, record.verifiedAt?.unixMillis, record.verifyError, record.isPinned,
            ])
    }

    static func fetchAll(_ db: Database, where condition: String, suffix: String = "",
                         arguments: StatementArguments) throws -> [BackupRecord] {
        try Row.fetchAll(db, sql: "SELECT \(columns) FROM backups WHERE \(condition) \(suffix)", arguments: arguments)
            .map(decode)
    }

    private static func decode(_ row: Row) throws -> BackupRecord {
        let id: String = try row.decode(forColumn: "id")
        let tierText: String = try row.decode(forColumn: "tier")
        guard let tier = Tier(rawValue: tierText) else {
            throw CatalogError(.storage, "the catalog holds a backup this version cannot read", detail: "backup \(id): tier \(tierText)")
        }
        return BackupRecord(
            id: BackupID(rawValue: id), dataset: try row.decode(forColumn: "dataset"), tier: tier,
            sourceKind: try row.decode(forColumn: "source_kind"), sourceVersion: try row.decode(forColumn: "source_version"),
            store: try row.decode(forColumn: "store"), objectKey: try row.decode(forColumn: "object_key"),
            manifestKey: try row.decode(forColumn: "manifest_key"),
            snapshotAt: Date(unixMillis: try row.decode(forColumn: "snapshot_at")),
            startedAt: Date(unixMillis: try row.decode(forColumn: "started_at")),
            finishedAt: Date(unixMillis: try row.decode(forColumn: "finished_at")),
            rawBytes: try row.decode(forColumn: "raw_bytes"), storedBytes: try row.decode(forColumn: "stored_bytes"),
            sha256: try row.decode(forColumn: "sha256"), compression: try row.decode(forColumn: "compression"),
            keyID: try row.decode(forColumn: "key_id"), recordCount: try row.decode(forColumn: "record_count"),
            contentDigest: try row.decode(forColumn: "content_digest"),
            labels: try StoredJSONMap.decode(try row.decode(forColumn: "labels"), of: id),
            jobID: try row.decode(String?.self, forColumn: "job_id").map(JobID.init(rawValue:)),
            verifiedAt: try row.decode(Int64?.self, forColumn: "verified_at").map(Date.init(unixMillis:)),
            verifyError: try row.decode(forColumn: "verify_error"), isPinned: try row.decode(forColumn: "is_pinned"))
    }
}
