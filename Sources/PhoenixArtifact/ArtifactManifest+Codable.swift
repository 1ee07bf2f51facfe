import FoundationEssentials

extension ArtifactManifest {
    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version"
        case id, dataset, tier
        case sourceKind = "source_kind"
        case sourceVersion = "source_version"
        case snapshotTime = "snapshot_time"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case rawBytes = "raw_bytes"
        case storedBytes = "stored_bytes"
        case storedSHA256 = "stored_sha256"
        case compression
        case keyID = "key_id"
        case chunkSize = "chunk_size"
        case recordCount = "record_count"
        case contentDigest = "content_digest"
        case labels
    }

    /// Dates are written as ISO 8601 in UTC with milliseconds (`2026-01-02T03:04:05.678Z`);
    /// sub-millisecond precision is dropped.
    private static let dateStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    /// Also accepted when reading: whole seconds (`2026-01-02T03:04:05Z`).
    private static let wholeSecondDateStyle = Date.ISO8601FormatStyle()

    /// Decodes the snake_case JSON form; optional fields may be null or absent.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        formatVersion = try container.decode(Int.self, forKey: .formatVersion)
        id = try container.decode(ArtifactID.self, forKey: .id)
        dataset = try container.decode(String.self, forKey: .dataset)
        tier = try container.decode(String.self, forKey: .tier)
        sourceKind = try container.decode(String.self, forKey: .sourceKind)
        sourceVersion = try container.decodeIfPresent(String.self, forKey: .sourceVersion)
        snapshotTime = try Self.decodeDate(container, .snapshotTime)
        startedAt = try Self.decodeDate(container, .startedAt)
        finishedAt = try Self.decodeDate(container, .finishedAt)
        rawBytes = try container.decode(Int.self, forKey: .rawBytes)
        storedBytes = try container.decode(Int.self, forKey: .storedBytes)
        storedSHA256 = try container.decode(String.self, forKey: .storedSHA256)
        compression = try container.decode(ArtifactCompression.self, forKey: .compression)
        keyID = try container.decodeIfPresent(ArtifactKeyID.self, forKey: .keyID)
        chunkSize = try container.decode(Int.self, forKey: .chunkSize)
        recordCount = try container.decodeIfPresent(Int64.self, forKey: .recordCount)
        contentDigest = try container.decodeIfPresent(String.self, forKey: .contentDigest)
        labels = try container.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
    }

    /// Encodes the snake_case JSON form with dates as ISO 8601 strings.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(formatVersion, forKey: .formatVersion)
        try container.encode(id, forKey: .id)
        try container.encode(dataset, forKey: .dataset)
        try container.encode(tier, forKey: .tier)
        try container.encode(sourceKind, forKey: .sourceKind)
        // Optional fields are written as null rather than left out, so every manifest has the
        // same keys and "unencrypted" reads as an explicit `"key_id": null`.
        try container.encode(sourceVersion, forKey: .sourceVersion)
        try container.encode(snapshotTime.formatted(Self.dateStyle), forKey: .snapshotTime)
        try container.encode(startedAt.formatted(Self.dateStyle), forKey: .startedAt)
        try container.encode(finishedAt.formatted(Self.dateStyle), forKey: .finishedAt)
        try container.encode(rawBytes, forKey: .rawBytes)
        try container.encode(storedBytes, forKey: .storedBytes)
        try container.encode(storedSHA256, forKey: .storedSHA256)
        try container.encode(compression, forKey: .compression)
        try container.encode(keyID, forKey: .keyID)
        try container.encode(chunkSize, forKey: .chunkSize)
        try container.encode(recordCount, forKey: .recordCount)
        try container.encode(contentDigest, forKey: .contentDigest)
        try container.encode(labels, forKey: .labels)
    }

    private static func decodeDate(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> Date {
        let text = try container.decode(String.self, forKey: key)
        if let date = (try? dateStyle.parse(text)) ?? (try? wholeSecondDateStyle.parse(text)) { return date }
        throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "is not an ISO 8601 date")
    }

    /// Checks what JSON types cannot express.
    func validate() throws(ArtifactError) {
        func require(_ condition: Bool, _ key: CodingKeys, _ reason: String) throws(ArtifactError) {
            if !condition { throw .manifestInvalidField(field: key.rawValue, reason: reason) }
        }
        try require(!dataset.isEmpty, .dataset, "is empty")
        try require(!sourceKind.isEmpty, .sourceKind, "is empty")
        try require(rawBytes >= 0, .rawBytes, "is negative")
        try require(storedBytes >= 0, .storedBytes, "is negative")
        try require(storedSHA256.utf8.count == 64 && storedSHA256.utf8.allSatisfy(Self.isLowercaseHex), .storedSHA256, "is not 64 lowercase hex digits")
        try require(ArtifactHeader.chunkSizeRange.contains(chunkSize), .chunkSize, "is out of range")
        try require((recordCount ?? 0) >= 0, .recordCount, "is negative")
        try require(finishedAt >= startedAt, .finishedAt, "is before started_at")
    }

    private static func isLowercaseHex(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }
}
