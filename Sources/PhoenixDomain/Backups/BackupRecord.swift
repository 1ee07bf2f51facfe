import FoundationEssentials

/// A completed backup as the catalog indexes it: what its manifest says, where its artifact
/// is, and what verification found. The manifest in the store stays the truth (DESIGN.md §1.2);
/// this row can always be rebuilt from it.
public struct BackupRecord: Sendable, Codable, Equatable, Identifiable {
    public var id: BackupID
    public var dataset: String
    public var tier: Tier
    /// The source kind (`directory`, `redis`, ...) and, where known, the server's version.
    public var sourceKind: String
    public var sourceVersion: String?
    /// The store holding the artifact and its manifest, and their keys in it.
    public var store: String
    public var objectKey: String
    public var manifestKey: String
    /// When the source's consistent snapshot was taken: what RPO is measured against.
    public var snapshotAt: Date
    public var startedAt: Date
    public var finishedAt: Date
    /// Bytes the source produced, and bytes stored after compression and encryption.
    public var rawBytes: Int64
    public var storedBytes: Int64
    /// SHA-256 of the stored object, lowercase hex.
    public var sha256: String
    public var compression: String
    /// The keyring id of the master key; nil for a tier stored without encryption.
    public var keyID: String?
    /// Items the source counted (files, keys, rows) and its order-independent content digest.
    public var recordCount: Int64?
    public var contentDigest: String?
    public var labels: [String: String]
    /// The job that made it; nil for a backup found in the store by a catalog sync.
    public var jobID: JobID?
    /// When the latest verification passed; nil when none ran or the latest failed.
    public var verifiedAt: Date?
    /// Why the latest verification failed; nil when it passed or never ran.
    public var verifyError: String?
    /// A pinned backup is kept by retention whatever the rules say.
    public var isPinned: Bool

    public init(id: BackupID, dataset: String, tier: Tier, sourceKind: String, sourceVersion: String? = nil, store: String,
                objectKey: String, manifestKey: String, snapshotAt: Date, startedAt: Date, finishedAt: Date,
                rawBytes: Int64, storedBytes: Int64, sha256: String, compression: String, keyID: String?,
                recordCount: Int64? = nil, contentDigest: String? = nil, labels: [String: String] = [:], jobID: JobID? = nil,
                verifiedAt: Date? = nil, verifyError: String? = nil, isPinned: Bool = false) {
        self.id = id
        self.dataset = dataset
        self.tier = tier
        self.sourceKind = sourceKind
        self.sourceVersion = sourceVersion
        self.store = store
        self.objectKey = objectKey
        self.manifestKey = manifestKey
        self.snapshotAt = snapshotAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.rawBytes = rawBytes
        self.storedBytes = storedBytes
        self.sha256 = sha256
        self.compression = compression
        self.keyID = keyID
        self.recordCount = recordCount
        self.contentDigest = contentDigest
        self.labels = labels
        self.jobID = jobID
        self.verifiedAt = verifiedAt
        self.verifyError = verifyError
        self.isPinned = isPinned
    }
}
