import Foundation  // JSONSerialization, to edit the sample manifest as a JSON object
import PhoenixArtifact
import Testing

@Suite struct ArtifactManifestTests {
    static func sample(keyID: ArtifactKeyID? = ArtifactKeyID(rawValue: "2026-01")) -> ArtifactManifest {
        ArtifactManifest(
            id: ArtifactID(rawValue: "0b7c6c1e-5a51-4f7e-9d1c-2f3e4d5c6b7a"),
            dataset: "redis_data", tier: "Critical", sourceKind: "redis", sourceVersion: "7.0.15",
            snapshotTime: Date(timeIntervalSince1970: 1_767_225_600.5),
            startedAt: Date(timeIntervalSince1970: 1_767_225_601),
            finishedAt: Date(timeIntervalSince1970: 1_767_225_662.25),
            rawBytes: 10_485_760, storedBytes: 3_145_911,
            storedSHA256: String(repeating: "ab", count: 32),
            compression: .zstd, keyID: keyID, chunkSize: 1 << 20,
            recordCount: 12_345, contentDigest: "sha256:0f", labels: ["region": "eu-west-1", "trigger": "schedule"]
        )
    }

    /// The sample's JSON with `change` applied to its object.
    static func json(_ change: (inout [String: Any]) -> Void) throws -> [UInt8] {
        var object = try #require(JSONSerialization.jsonObject(with: Data(sample().encode())) as? [String: Any])
        change(&object)
        return Array(try JSONSerialization.data(withJSONObject: object))
    }

    @Test func roundTripsEveryField() throws {
        let manifest = Self.sample()
        #expect(try ArtifactManifest.decode(manifest.encode()) == manifest)
        let unencrypted = Self.sample(keyID: nil)
        #expect(try ArtifactManifest.decode(unencrypted.encode()) == unencrypted)
    }

    @Test func encodesSortedSnakeCaseKeysAndISODates() throws {
        let text = String(decoding: Self.sample(keyID: nil).encode(), as: UTF8.self)
        let keys = ["chunk_size", "compression", "content_digest", "dataset", "finished_at", "format_version", "id",
                    "key_id", "labels", "raw_bytes", "record_count", "snapshot_time", "source_kind", "source_version",
                    "started_at", "stored_bytes", "stored_sha256", "tier"]
        let positions = try keys.map { key in try #require(text.range(of: "\n  \"\(key)\" :")).lowerBound }
        #expect(positions == positions.sorted())
        #expect(text.contains("\"snapshot_time\" : \"2026-01-01T00:00:00.500Z\""))
        #expect(text.contains("\"started_at\" : \"2026-01-01T00:00:01.000Z\""))
        #expect(text.contains("\"key_id\" : null"))
        #expect(text.contains("\"compression\" : \"zstd\""))
    }

    @Test func sameManifestEncodesToTheSameBytes() {
        #expect(Self.sample().encode() == Self.sample().encode())
    }

    @Test func wholeSecondDatesAndMissingOptionalsAreAccepted() throws {
        let bytes = try Self.json { object in
            object["started_at"] = "2026-01-01T00:00:01Z"
            object.removeValue(forKey: "labels")
            object.removeValue(forKey: "record_count")
            object.removeValue(forKey: "key_id")
        }
        let manifest = try ArtifactManifest.decode(bytes)
        #expect(manifest.startedAt == Date(timeIntervalSince1970: 1_767_225_601))
        #expect(manifest.labels.isEmpty)
        #expect(manifest.recordCount == nil)
        #expect(manifest.keyID == nil)
    }

    @Test func oversizedManifestIsRefusedBeforeParsing() {
        let bytes = [UInt8](repeating: 0x20, count: ArtifactManifest.maximumByteCount + 1)
        #expect(throws: ArtifactError.manifestTooLarge(ArtifactManifest.maximumByteCount + 1)) {
            try ArtifactManifest.decode(bytes)
        }
    }

    @Test(arguments: ["", "not json", "{\"format_version\": 1,", "[1, 2]", "42"])
    func malformedManifestIsRefused(text: String) {
        do {
            _ = try ArtifactManifest.decode(Array(text.utf8))
            Issue.record("accepted \(text)")
        } catch {
            guard case .manifestMalformed = error else {
                Issue.record("expected manifestMalformed, got \(error)")
                return
            }
        }
    }

    @Test func otherFormatVersionIsUnsupportedEvenWithOtherFields() throws {
        #expect(throws: ArtifactError.manifestUnsupportedVersion(2)) {
            try ArtifactManifest.decode(Array("{\"format_version\": 2, \"whatever\": true}".utf8))
        }
        #expect(throws: ArtifactError.manifestInvalidField(field: "format_version", reason: "is missing")) {
            try ArtifactManifest.decode(Array("{}".utf8))
        }
    }

    /// A replacement value for one field of the sample's JSON.
    enum Replacement: Sendable {
        case absent, null, string(String), number(Int)

        var json: Any? {
            switch self {
            case .absent: nil
            case .null: NSNull()
            case .string(let text): text
            case .number(let value): value
            }
        }
    }

    @Test(arguments: [
        ("stored_sha256", .absent, "is missing"),
        ("raw_bytes", .string("many"), "has the wrong type"),
        ("dataset", .null, "is null"),
        ("snapshot_time", .string("yesterday"), "is not an ISO 8601 date"),
        ("compression", .string("lz4"), "has an invalid value"),
        ("key_id", .string("bad id!"), "is not a valid key id"),
        ("id", .string(""), "is empty"),
        ("dataset", .string(""), "is empty"),
        ("stored_sha256", .string("ABCD"), "is not 64 lowercase hex digits"),
        ("raw_bytes", .number(-1), "is negative"),
        ("record_count", .number(-5), "is negative"),
        ("chunk_size", .number(0), "is out of range"),
        ("finished_at", .string("2025-01-01T00:00:00Z"), "is before started_at"),
    ] as [(String, Replacement, String)])
    func invalidFieldIsNamed(field: String, value: Replacement, reason: String) throws {
        let bytes = try Self.json { object in object[field] = value.json }
        #expect(throws: ArtifactError.manifestInvalidField(field: field, reason: reason)) {
            try ArtifactManifest.decode(bytes)
        }
    }
}
