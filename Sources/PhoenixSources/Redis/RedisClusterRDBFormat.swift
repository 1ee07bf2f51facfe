import FoundationEssentials

/// The byte stream an `rdb` backup of a Redis Cluster stores (inside the encrypted artifact):
/// one RDB per master, each pulled over `SYNC` from that master, with the slot map.
///
/// A magic line, then frames `type (1 byte) ‖ length (4 bytes, big-endian) ‖ body`, as in
/// `RedisLogicalFormat`:
///
/// - `N`: a master begins: `RedisClusterRDBNode` JSON (its place, address, id and slots).
/// - `R`: the next bytes of that master's RDB (any number of frames, one socket read each).
/// - `E`: that master's RDB is complete: `RedisClusterRDBNodeEnd` JSON (its keys and SHA-256),
///   which the reader checks the `R` bytes against.
/// - `S`: the `RedisClusterRDBSummary` JSON, exactly once, last.
///
/// Each RDB is its own point in time: the masters are pulled one after another, not at once.
/// A Redis Cluster offers no snapshot across masters, and pulling them together would leave
/// the later ones waiting on a socket nobody reads, past the server's `repl-timeout`.
public enum RedisClusterRDBFormat {
    /// The first 8 bytes of every cluster RDB stream.
    public static let magic = Array("PHXRC01\n".utf8)
    /// An `R` frame carries what one socket read gives (256 KiB at most today); allow slack.
    public static let maxDataFrameLength = 4 << 20
    /// The JSON frames are small (a slot map at most); more means a damaged stream.
    public static let maxJSONFrameLength = 1 << 20

    public enum FrameType: UInt8, Sendable {
        case node = 0x4E  // N
        case rdb = 0x52  // R
        case nodeEnd = 0x45  // E
        case summary = 0x53  // S
    }

    /// A frame of `type` around `body`.
    public static func frame(_ type: FrameType, _ body: some Collection<UInt8>) -> [UInt8] {
        var out: [UInt8] = [type.rawValue]
        out.reserveCapacity(5 + body.count)
        RedisLogicalFormat.appendBigEndian(UInt64(body.count), bytes: 4, to: &out)
        out += body
        return out
    }

    /// A JSON frame of `type` for `value`, with sorted keys so the same value gives the same bytes.
    public static func frame(_ type: FrameType, json value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return frame(type, Array(try encoder.encode(value)))
    }
}

/// One master as the stream records it before its RDB.
public struct RedisClusterRDBNode: Codable, Sendable, Equatable {
    /// 1 for the first master (by slot order), as `artifact restore --redis-node` takes it.
    public var number: Int
    public var node: RedisClusterNode

    public init(number: Int, node: RedisClusterNode) {
        self.number = number
        self.node = node
    }
}

/// What a master's RDB held, recorded after it.
public struct RedisClusterRDBNodeEnd: Codable, Sendable, Equatable {
    public var keys: Int64
    /// SHA-256 of the RDB's bytes (64 hex digits).
    public var rdbSHA256: String
    public var rdbVersion: Int
    public var redisVersion: String?
    /// When the master began sending its RDB (Unix ms): its point in time.
    public var snapshotAt: Int64

    public init(keys: Int64, rdbSHA256: String, rdbVersion: Int, redisVersion: String?, snapshotAt: Int64) {
        self.keys = keys
        self.rdbSHA256 = rdbSHA256
        self.rdbVersion = rdbVersion
        self.redisVersion = redisVersion
        self.snapshotAt = snapshotAt
    }

    enum CodingKeys: String, CodingKey {
        case keys
        case rdbSHA256 = "rdb_sha256", rdbVersion = "rdb_version", redisVersion = "redis_version", snapshotAt = "snapshot_at"
    }
}

/// The last frame: the slot map and the total, which the reader checks the masters against.
public struct RedisClusterRDBSummary: Codable, Sendable, Equatable {
    public var nodes: [RedisClusterNode]
    public var keys: Int64

    public init(nodes: [RedisClusterNode], keys: Int64) {
        self.nodes = nodes
        self.keys = keys
    }
}
