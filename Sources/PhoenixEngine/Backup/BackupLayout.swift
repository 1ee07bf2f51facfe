import FoundationEssentials
import PhoenixArtifact
import PhoenixDomain

/// Where a backup's objects go (`<prefix><yyyy>/<mm>/<dd>/<backup-id>.pdr` and
/// `.manifest.json`), and how a manifest becomes a catalog row.
enum BackupLayout {
    static let artifactSuffix = ".pdr"
    static let manifestSuffix = ".manifest.json"

    /// The artifact's key; the date is the backup id's own (UTC), so both keys follow from the id.
    static func artifactKey(prefix: String, id: BackupID) -> String {
        let stamp = id.rawValue
        let folder = stamp.count >= 8
            ? "\(stamp.prefix(4))/\(stamp.dropFirst(4).prefix(2))/\(stamp.dropFirst(6).prefix(2))/"
            : ""
        let base = prefix.isEmpty || prefix.hasSuffix("/") ? prefix : prefix + "/"
        return base + folder + id.rawValue + artifactSuffix
    }

    static func manifestKey(forArtifact key: String) -> String {
        String(key.dropLast(artifactSuffix.count)) + manifestSuffix
    }

    static func artifactKey(forManifest key: String) -> String {
        String(key.dropLast(manifestSuffix.count)) + artifactSuffix
    }

    /// The catalog row a manifest describes.
    static func record(_ manifest: ArtifactManifest, store: String, manifestKey: String, jobID: JobID?) throws -> BackupRecord {
        guard let tier = Tier(rawValue: manifest.tier) else { throw BackupFailure("manifest \(manifestKey): unknown tier \"\(manifest.tier)\"") }
        guard BackupID.isWellFormed(manifest.id.rawValue) else { throw BackupFailure("manifest \(manifestKey): malformed id") }
        return BackupRecord(
            id: BackupID(rawValue: manifest.id.rawValue), dataset: manifest.dataset, tier: tier, sourceKind: manifest.sourceKind,
            sourceVersion: manifest.sourceVersion, store: store, objectKey: artifactKey(forManifest: manifestKey),
            manifestKey: manifestKey, snapshotAt: manifest.snapshotTime, startedAt: manifest.startedAt,
            finishedAt: manifest.finishedAt, rawBytes: Int64(manifest.rawBytes), storedBytes: Int64(manifest.storedBytes),
            sha256: manifest.storedSHA256, compression: manifest.compression.rawValue, keyID: manifest.keyID?.rawValue,
            recordCount: manifest.recordCount, contentDigest: manifest.contentDigest, labels: manifest.labels, jobID: jobID)
    }
}
