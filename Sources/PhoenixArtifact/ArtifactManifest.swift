import FoundationEssentials

/// The JSON manifest stored beside each artifact (DESIGN.md §4), written last as the commit
/// point. It describes the artifact well enough to rebuild the catalog from the store alone.
///
/// ```swift
/// let bytes = manifest.encode()                         // sorted snake_case keys, ISO 8601 dates
/// let again = try ArtifactManifest.decode(bytes)        // refuses > 1 MiB, bad JSON, other versions
/// ```
public struct ArtifactManifest: Sendable, Equatable, Codable {
    /// The manifest format this build writes and reads.
    public static let currentFormatVersion = 1
    /// The largest manifest `decode` accepts; manifests come from the store, so size is bounded
    /// before parsing.
    public static let maximumByteCount = 1 << 20

    /// The manifest format (`format_version`), `currentFormatVersion` when written by this build.
    public var formatVersion: Int
    /// The artifact's id; the manifest and the artifact object are stored under it.
    public var id: ArtifactID
    /// The dataset name (`redis_data`, `agent_state`, …).
    public var dataset: String
    /// The data tier (`Critical`, `Important`, `Standard`).
    public var tier: String
    /// The source kind (`redis`, `postgres`, `vault`, `git`, `directory`).
    public var sourceKind: String
    /// The source server's version, when it reports one.
    public var sourceVersion: String?
    /// The moment the data is consistent as of (what the RPO is measured against).
    public var snapshotTime: Date
    /// When the backup job started reading the source.
    public var startedAt: Date
    /// When the artifact was completely stored.
    public var finishedAt: Date
    /// Plaintext bytes before compression.
    public var rawBytes: Int
    /// Bytes of the stored object (header and chunks).
    public var storedBytes: Int
    /// SHA-256 of the stored object, 64 lowercase hex digits.
    public var storedSHA256: String
    /// How the plaintext was compressed (also recorded in the artifact header).
    public var compression: ArtifactCompression
    /// The master key's id; nil for an unencrypted artifact.
    public var keyID: ArtifactKeyID?
    /// Plaintext bytes per chunk (also recorded in the artifact header).
    public var chunkSize: Int
    /// Records the source reported (keys, rows, files), when it counts them.
    public var recordCount: Int64?
    /// A source-specific digest of the content (for example a git bundle's ref list hash).
    public var contentDigest: String?
    /// Free-form labels (`region`, `trigger`, …).
    public var labels: [String: String]

    /// A manifest with every field given; `formatVersion` is the current one.
    public init(
        id: ArtifactID, dataset: String, tier: String, sourceKind: String, sourceVersion: String? = nil,
        snapshotTime: Date, startedAt: Date, finishedAt: Date, rawBytes: Int, storedBytes: Int,
        storedSHA256: String, compression: ArtifactCompression, keyID: ArtifactKeyID?, chunkSize: Int,
        recordCount: Int64? = nil, contentDigest: String? = nil, labels: [String: String] = [:]
    ) {
        self.formatVersion = Self.currentFormatVersion
        self.id = id
        self.dataset = dataset
        self.tier = tier
        self.sourceKind = sourceKind
        self.sourceVersion = sourceVersion
        self.snapshotTime = snapshotTime
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.rawBytes = rawBytes
        self.storedBytes = storedBytes
        self.storedSHA256 = storedSHA256
        self.compression = compression
        self.keyID = keyID
        self.chunkSize = chunkSize
        self.recordCount = recordCount
        self.contentDigest = contentDigest
        self.labels = labels
    }

    /// The manifest as pretty-printed JSON with sorted keys (stable bytes for the same manifest).
    public func encode() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(self))
        } catch {
            // `encode(to:)` writes only strings, integers, null and a string dictionary, none of
            // which JSONEncoder can reject (it fails only for non-finite floats).
            preconditionFailure("ArtifactManifest cannot fail to encode: \(error)")
        }
    }

    /// Parses and validates a manifest.
    /// - Throws: `ArtifactError.manifestTooLarge`, `.manifestMalformed`,
    ///   `.manifestUnsupportedVersion` or `.manifestInvalidField`.
    public static func decode(_ bytes: some Collection<UInt8>) throws(ArtifactError) -> ArtifactManifest {
        guard bytes.count <= maximumByteCount else { throw .manifestTooLarge(bytes.count) }
        let data = Data(bytes)
        // Read the version alone first, so a newer manifest is reported as such rather than as
        // whatever field it renamed.
        let version = try ManifestDecoding.run { try JSONDecoder().decode(VersionProbe.self, from: data) }.formatVersion
        guard version == currentFormatVersion else { throw .manifestUnsupportedVersion(version) }
        let manifest = try ManifestDecoding.run { try JSONDecoder().decode(ArtifactManifest.self, from: data) }
        try manifest.validate()
        return manifest
    }

    private struct VersionProbe: Decodable {
        let formatVersion: Int
        enum CodingKeys: String, CodingKey { case formatVersion = "format_version" }
    }
}
