import FoundationEssentials
import PhoenixDomain
import PhoenixPostgres

/// SQL fragments and row decoding for the `backups` table (dates as exact milliseconds, as jobs).
enum PostgresBackupRows {
    typealias Rows = PostgresJobRows

    static let insertColumns = """
        id, dataset, tier, source_kind, source_version, store, object_key, manifest_key, snapshot_at, started_at, \
        finished_at, raw_bytes, stored_bytes, sha256, compression, key_id, record_count, content_digest, labels, job_id, \
        verified_at, verify_error, is_pinned
        """

    /// `$1` ... `$23`: dates (`$9`–`$11`, `$21`) as `timestamptz`, labels (`$19`) as `jsonb`.
    static let insertValues = (1...23).map { index in
        switch index {
        case 9, 10, 11, 21: Rows.at(index)
        case 19: "$19::jsonb"
        default: "$\(index)"
        }
    }.joined(separator: ", ")

    static let selectColumns = """
        id, dataset, tier, source_kind, source_version, store, object_key, manifest_key, \(Rows.millis("snapshot_at")), \
        \(Rows.millis("started_at")), \(Rows.millis("finished_at")), raw_bytes, stored_bytes, sha256, compression, key_id, \
        record_count, content_digest, labels::text AS labels, job_id, \(Rows.millis("verified_at")), verify_error, is_pinned
        """

    static func parameters(of record: BackupRecord) -> [PostgresValue] {
        [.text(record.id.rawValue), .text(record.dataset), .text(record.tier.rawValue), .text(record.sourceKind),
         Rows.text(record.sourceVersion), .text(record.store), .text(record.objectKey), .text(record.manifestKey),
         Rows.millis(record.snapshotAt), Rows.millis(record.startedAt), Rows.millis(record.finishedAt), .int(record.rawBytes),
         .int(record.storedBytes), .text(record.sha256), .text(record.compression), Rows.text(record.keyID),
         record.recordCount.map(PostgresValue.int) ?? .null, Rows.text(record.contentDigest),
         .text(StoredJSONMap.encode(record.labels)), Rows.text(record.jobID?.rawValue), Rows.millis(record.verifiedAt),
         Rows.text(record.verifyError), .bool(record.isPinned)]
    }

    static func decode(_ row: PostgresRow) throws -> BackupRecord {
        let id = try require(row.string("id"), "id")
        let tierText = try require(row.string("tier"), "tier")
        guard let tier = Tier(rawValue: tierText) else {
            throw CatalogError(.storage, "the catalog holds a backup this version cannot read", detail: "backup \(id): tier \(tierText)")
        }
        return BackupRecord(
            id: BackupID(rawValue: id), dataset: try require(row.string("dataset"), "dataset"), tier: tier,
            sourceKind: try require(row.string("source_kind"), "source_kind"), sourceVersion: try row.string("source_version"),
            store: try require(row.string("store"), "store"), objectKey: try require(row.string("object_key"), "object_key"),
            manifestKey: try require(row.string("manifest_key"), "manifest_key"),
            snapshotAt: Date(unixMillis: try require(row.int("snapshot_at"), "snapshot_at")),
            startedAt: Date(unixMillis: try require(row.int("started_at"), "started_at")),
            finishedAt: Date(unixMillis: try require(row.int("finished_at"), "finished_at")),
            rawBytes: try require(row.int("raw_bytes"), "raw_bytes"), storedBytes: try require(row.int("stored_bytes"), "stored_bytes"),
            sha256: try require(row.string("sha256"), "sha256"), compression: try require(row.string("compression"), "compression"),
            keyID: try row.string("key_id"), recordCount: try row.int("record_count"), contentDigest: try row.string("content_digest"),
            labels: try StoredJSONMap.decode(try require(row.string("labels"), "labels"), of: id),
            jobID: try row.string("job_id").map(JobID.init(rawValue:)),
            verifiedAt: try row.int("verified_at").map(Date.init(unixMillis:)),
            verifyError: try row.string("verify_error"), isPinned: try require(row.bool("is_pinned"), "is_pinned"))
    }

    private static func require<T>(_ value: T?, _ column: String) throws -> T {
        guard let value else {
            throw CatalogError(.storage, "the catalog holds a backup this version cannot read", detail: "NULL in \(column)")
        }
        return value
    }
}
