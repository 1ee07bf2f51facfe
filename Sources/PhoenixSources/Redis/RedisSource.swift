import FoundationEssentials
import Logging
import PhoenixCrypto
import PhoenixDomain

/// The `redis` source (seed: `redis_data`): in mode `rdb` (the default) a point-in-time RDB
/// pulled over the replication protocol, as `redis-cli --rdb` does (`RedisReplicationClient.pullRDB`),
/// streamed into the pipeline as it arrives, and from a Redis Cluster one RDB per master
/// (`RedisClusterRDBDumper`); in mode `logical`, `SCAN` + `DUMP` (`RedisLogicalDumper`) for
/// servers that refuse `SYNC`. The key count comes from the RDB itself (`RDBScanner`), which also
/// checks its structure and CRC-64.
public struct RedisSource: BackupSource {
    public struct Settings: Sendable, Equatable {
        /// `host:port`.
        public var host: String
        public var port: Int
        public var username: String?
        public var password: String?
        /// For the connection and for each read: a large dataset can keep the server busy with
        /// its fork for a while before the first byte.
        public var timeout: Duration
        /// `rdb` (SYNC) or `logical` (SCAN + DUMP).
        public var mode: DatasetSpec.RedisMode

        public init(host: String, port: Int, username: String? = nil, password: String? = nil, timeout: Duration = .seconds(60),
                    mode: DatasetSpec.RedisMode = .rdb) {
            self.host = host
            self.port = port
            self.username = username
            self.password = password
            self.timeout = timeout
            self.mode = mode
        }

        /// Settings for `address` (`host:port`, `[v6]:port`).
        public init(address: String, username: String? = nil, password: String? = nil,
                    mode: DatasetSpec.RedisMode = .rdb) throws(RedisSourceError) {
            var host = Substring(address)
            var port = 6379
            if let colon = address.lastIndex(of: ":"), !address.hasSuffix("]") {
                guard let parsed = Int(address[address.index(after: colon)...]), (1...65535).contains(parsed) else {
                    throw RedisSourceError("\"\(address)\" is not a Redis address (host:port)")
                }
                port = parsed
                host = address[..<colon]
            }
            if host.hasPrefix("[") && host.hasSuffix("]") { host = host.dropFirst().dropLast() }
            guard !host.isEmpty else { throw RedisSourceError("\"\(address)\" is not a Redis address (host:port)") }
            self.init(host: String(host), port: port, username: username, password: password, mode: mode)
        }
    }

    public let settings: Settings
    let now: @Sendable () -> Date
    let logger: Logger

    public init(settings: Settings, now: @escaping @Sendable () -> Date, logger: Logger) {
        self.settings = settings
        self.now = now
        self.logger = logger
    }

    public var kind: String { "redis" }

    /// RDB strings are LZF-compressed already.
    public var isCompressible: Bool { false }

    public func snapshot(into sink: any SnapshotSink) async throws -> SnapshotSummary {
        if settings.mode == .logical {
            return try await RedisLogicalDumper(settings: settings, now: now, logger: logger).dump(into: sink)
        }
        let client = RedisReplicationClient()
        do {
            try await client.open(settings)
            // SYNC on a cluster node returns that master's keys only: back up every master instead.
            if try await client.redisMode() == "cluster" {
                await client.close()
                return try await RedisClusterRDBDumper(settings: settings, now: now, logger: logger).dump(into: sink)
            }
            let started = now()
            let checker = RDBChecker()
            try await client.pullRDB(logger: logger) { piece in
                try checker.consume(piece)
                try await sink.write(piece)
            }
            await client.close()
            let (rdb, digest) = try checker.finishWithSummary()
            return SnapshotSummary(
                snapshotAt: started, recordCount: rdb.keys, contentDigest: digest,
                sourceVersion: rdb.redisVersion.map { "Redis \($0), RDB \(rdb.version)" } ?? "RDB \(rdb.version)",
                warnings: rdb.checksumVerified ? [] : ["the RDB carries no checksum (rdbchecksum no)"])
        } catch {
            await client.close()
            throw error
        }
    }

    /// A server error line as an operator reads it (`-WRONGPASS invalid…` → `WRONGPASS invalid…`).
    static func serverError(_ line: String) -> String {
        String((line.hasPrefix("-") ? line.dropFirst() : Substring(line)).prefix(200))
    }

    /// Recognises the artifact by its first bytes, so a verify still works after the dataset's
    /// mode changed: `REDIS` starts an RDB, `PHXRL01` a logical backup.
    public func makeChecker() -> any SnapshotChecker {
        RedisArtifactChecker()
    }

    /// In mode rdb the RDB was walked (structure, CRC-64, keys) while it streamed in, and its
    /// content digest is the SHA-256 of the whole RDB: reading back the same SHA-256 proves the
    /// same RDB, so the read-back rehashes it instead of walking it a second time (a verify job
    /// still walks it). A cluster's stream of RDBs is rehashed the same way. A logical backup's
    /// digest is over keys, so its read-back reads them all.
    public func makeReadBackChecker(for summary: SnapshotSummary) -> any SnapshotChecker {
        guard settings.mode == .rdb, let digest = summary.contentDigest, let count = summary.recordCount else { return makeChecker() }
        return RDBRehashChecker(expectedDigest: digest, recordCount: count)
    }

    /// None for RDBs: their read-back rehashes instead of walking, with the summary's count.
    public func makeFollowingChecker() -> (any SnapshotChecker)? {
        settings.mode == .rdb ? nil : makeChecker()
    }
}
