import FoundationEssentials
import PhoenixCrypto

/// The byte stream a `logical` Redis backup stores (inside the encrypted artifact): what
/// `SCAN` + `DUMP` + `PTTL` read, for servers that refuse `SYNC`.
///
/// A magic line, then frames `type (1 byte) ‖ length (4 bytes, big-endian) ‖ body`, as in
/// `PostgresArchiveFormat`:
///
/// - `K`: one key, any number of them: `database (2 bytes BE) ‖ key length (4 bytes BE) ‖ key ‖
///   expiry (8 bytes BE, Unix ms, 0 = none) ‖ DUMP payload`. The expiry is absolute (backup clock
///   + `PTTL`), so a restore replays the TTL that remains *then*, and skips keys whose TTL ran out.
/// - `S`: the `RedisLogicalSummary` JSON, exactly once, last: the key count, the digest and the
///   SHA-256 of the `K` frames' bytes, which the reader checks the frames against, so a stream
///   cut between frames, or with frames dropped or changed (an expiry included), is refused.
public enum RedisLogicalFormat {
    /// The first 8 bytes of every logical stream (an RDB starts with `REDIS` instead).
    public static let magic = Array("PHXRL01\n".utf8)
    /// Redis' own bulk limit (`proto-max-bulk-len`, 512 MiB by default): a value larger than
    /// that could not be `RESTORE`d anyway, and a larger frame means a damaged or hostile stream.
    public static let maxFrameLength = 512 << 20
    /// The summary is small (a cluster's slot map at most); more means a damaged stream.
    public static let maxSummaryLength = 16 << 20
    /// Database numbers, as `SELECT` takes them (Redis' `databases` is 16 by default).
    public static let maxDatabase = Int(UInt16.max)

    /// The first byte of each frame.
    public enum FrameType: UInt8, Sendable {
        case key = 0x4B  // K
        case summary = 0x53  // S
    }

    /// Appends `entry`'s `K` frame to `out`.
    /// - Throws: when the key and payload exceed `maxFrameLength`.
    public static func appendKeyFrame(_ entry: RedisLogicalEntry, to out: inout [UInt8]) throws(RedisSourceError) {
        let length = 2 + 4 + entry.key.count + 8 + entry.payload.count
        guard length <= maxFrameLength else {
            throw RedisSourceError("a key of database \(entry.database) holds \(entry.payload.count) bytes, more than the \(maxFrameLength >> 20) MiB a logical backup frame takes")
        }
        out.append(FrameType.key.rawValue)
        appendBigEndian(UInt64(length), bytes: 4, to: &out)
        appendBigEndian(UInt64(entry.database), bytes: 2, to: &out)
        appendBigEndian(UInt64(entry.key.count), bytes: 4, to: &out)
        out += entry.key
        appendBigEndian(UInt64(bitPattern: entry.expiresAt), bytes: 8, to: &out)
        out += entry.payload
    }

    /// The `S` frame of `summary`.
    public static func summaryFrame(_ summary: RedisLogicalSummary) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let body = Array(try encoder.encode(summary))
        var out: [UInt8] = [FrameType.summary.rawValue]
        appendBigEndian(UInt64(body.count), bytes: 4, to: &out)
        return out + body
    }

    static func appendBigEndian(_ value: UInt64, bytes: Int, to out: inout [UInt8]) {
        for index in stride(from: bytes - 1, through: 0, by: -1) { out.append(UInt8(truncatingIfNeeded: value >> (8 * index))) }
    }
}

/// One key of a logical backup.
public struct RedisLogicalEntry: Sendable, Equatable {
    /// The database number (`SELECT`); always 0 on a cluster.
    public var database: Int
    /// The key name, binary-safe.
    public var key: [UInt8]
    /// Unix ms at which the key expires; 0 for none.
    public var expiresAt: Int64
    /// `DUMP`'s serialisation: the value, the RDB version and a CRC-64, as `RESTORE` takes it.
    public var payload: [UInt8]

    /// An entry as the dumper reads it or the reader decodes it.
    public init(database: Int, key: [UInt8], expiresAt: Int64, payload: [UInt8]) {
        self.database = database
        self.key = key
        self.expiresAt = expiresAt
        self.payload = payload
    }
}

/// What a logical backup recorded about itself: the last frame of its stream.
public struct RedisLogicalSummary: Codable, Sendable, Equatable {
    /// Keys written (each key once, however often `SCAN` returned it).
    public var keys: Int64
    /// `RedisContentDigest` over every key and payload.
    public var digest: String
    /// SHA-256 of every `K` frame's bytes, in stream order: covers what the digest leaves out
    /// (expiries, framing), so any damage to the stream is found.
    public var framesSHA256: String
    /// Keys `SCAN` returned that were gone by the time `DUMP` ran.
    public var vanished: Int64
    /// `SCAN` answers naming a key already written (`SCAN` may repeat keys while the server rehashes).
    public var repeats: Int64
    /// `redis_version` of the (first) server scanned.
    public var redisVersion: String?
    /// When the scan started and ended (Unix ms): a logical backup is not one point in time.
    public var startedAt: Int64
    public var finishedAt: Int64
    /// For a Redis Cluster: each master and the slot ranges it served during the backup.
    public var cluster: [RedisClusterNode]?

    /// A summary as the dumper writes it at the end of the stream.
    public init(keys: Int64, digest: String, framesSHA256: String, vanished: Int64, repeats: Int64, redisVersion: String?, startedAt: Int64, finishedAt: Int64,
                cluster: [RedisClusterNode]? = nil) {
        self.keys = keys
        self.digest = digest
        self.framesSHA256 = framesSHA256
        self.vanished = vanished
        self.repeats = repeats
        self.redisVersion = redisVersion
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.cluster = cluster
    }

    enum CodingKeys: String, CodingKey {
        case keys, digest, vanished, repeats, cluster
        case framesSHA256 = "frames_sha256", redisVersion = "redis_version", startedAt = "started_at", finishedAt = "finished_at"
    }
}

/// An order-independent digest of a logical backup's keys: the sum, modulo 2^256, of
/// SHA-256(database (2 bytes BE) ‖ key length (4 bytes BE) ‖ key ‖ payload) over every key.
///
/// A sum, not an XOR: the scan order (and a cluster's node order) does not matter, yet a key
/// counted twice changes the digest instead of cancelling out. The expiry is left out: it is a
/// time, not content. `DUMP` payloads depend on the server's encodings, so the digest identifies
/// the artifact's content; it is not comparable with a digest taken from another server.
public struct RedisContentDigest: Sendable, Equatable {
    /// Big-endian limbs: `limbs[0]` is the most significant.
    private var limbs: [UInt64] = [0, 0, 0, 0]

    /// The digest of no keys (zero).
    public init() {}

    /// Adds one key's SHA-256 to the sum.
    public mutating func add(_ entry: RedisLogicalEntry) {
        var hasher = SHA256.Hasher()
        var header: [UInt8] = []
        RedisLogicalFormat.appendBigEndian(UInt64(entry.database), bytes: 2, to: &header)
        RedisLogicalFormat.appendBigEndian(UInt64(entry.key.count), bytes: 4, to: &header)
        hasher.update(header)
        hasher.update(entry.key)
        hasher.update(entry.payload)
        add(digest: hasher.finalize())
    }

    mutating func add(digest: [UInt8]) {
        var carry: UInt64 = 0
        for limb in stride(from: 3, through: 0, by: -1) {
            var word: UInt64 = 0
            for byte in digest[(limb * 8)..<(limb * 8 + 8)] { word = word << 8 | UInt64(byte) }
            let (partial, overflow1) = limbs[limb].addingReportingOverflow(word)
            let (sum, overflow2) = partial.addingReportingOverflow(carry)
            limbs[limb] = sum
            carry = (overflow1 ? 1 : 0) + (overflow2 ? 1 : 0)
        }
    }

    /// 64 lowercase hex digits.
    public var hex: String {
        var bytes: [UInt8] = []
        for limb in limbs { RedisLogicalFormat.appendBigEndian(limb, bytes: 8, to: &bytes) }
        return Hex.encode(bytes)
    }
}
