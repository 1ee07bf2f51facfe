import FoundationEssentials
import PhoenixDomain

/// A backup as the API shows it. Labels are a list of name/value pairs, not an object, so the
/// encoder's snake_case conversion of keys never rewrites a label's name.
struct BackupView: Encodable {
    struct Label: Encodable {
        var name: String
        var value: String
    }

    var id: String
    var dataset: String
    var tier: String
    var sourceKind: String
    var sourceVersion: String?
    var store: String
    var objectKey: String
    var manifestKey: String
    var snapshotAt: Date
    var startedAt: Date
    var finishedAt: Date
    var rawBytes: Int64
    var storedBytes: Int64
    var sha256: String
    var compression: String
    var keyId: String?
    var recordCount: Int64?
    var contentDigest: String?
    var labels: [Label]
    var jobId: String?
    var verifiedAt: Date?
    var verifyError: String?
    var pinned: Bool

    init(_ record: BackupRecord) {
        id = record.id.rawValue
        dataset = record.dataset
        tier = record.tier.rawValue
        sourceKind = record.sourceKind
        sourceVersion = record.sourceVersion
        store = record.store
        objectKey = record.objectKey
        manifestKey = record.manifestKey
        snapshotAt = record.snapshotAt
        startedAt = record.startedAt
        finishedAt = record.finishedAt
        rawBytes = record.rawBytes
        storedBytes = record.storedBytes
        sha256 = record.sha256
        compression = record.compression
        keyId = record.keyID
        recordCount = record.recordCount
        contentDigest = record.contentDigest
        labels = record.labels.sorted { $0.key < $1.key }.map { Label(name: $0.key, value: $0.value) }
        jobId = record.jobID?.rawValue
        verifiedAt = record.verifiedAt
        verifyError = record.verifyError
        pinned = record.isPinned
    }
}
