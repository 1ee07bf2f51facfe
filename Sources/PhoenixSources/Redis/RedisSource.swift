import FoundationEssentials
import Logging
import PhoenixCrypto
import PhoenixDomain

/// The `redis` source (seed: `redis_data`): in mode `rdb` (the default) a point-in-time RDB
/// pulled over the replication protocol, as `redis-cli --rdb` does, streamed into the pipeline as
/// it arrives; in mode `logical`, `SCAN` + `DUMP` (`RedisLogicalDumper`) for servers that refuse
/// `SYNC`, and for a Redis Cluster.
///
/// `REPLCONF capa eof` lets the server send the RDB diskless (`$EOF:<mark>`, the payload, the
/// mark again); otherwise it arrives length-prefixed (`$<n>`). `REPLCONF rdb-only 1` (Redis 7)
/// ends the transfer after the RDB instead of switching to the command stream. The key count
/// comes from the RDB itself (`RDBScanner`), which also checks its structure and CRC-64.
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
            let summary = try await transfer(client, into: sink)
            await client.close()
            return summary
        } catch {
            await client.close()
            throw error
        }
    }

    private func transfer(_ client: RedisReplicationClient, into sink: any SnapshotSink) async throws -> SnapshotSummary {
        try await client.connect(host: settings.host, port: settings.port, timeout: settings.timeout)
        if let password = settings.password {
            try await client.send(["AUTH"] + (settings.username.map { [$0] } ?? []) + [password])
            let reply = try await client.readLine()
            guard reply == "+OK" else {
                throw RedisSourceError("Redis refused the credentials: \(Self.serverError(reply))")
            }
        }
        try await refuseCluster(client)
        try await client.send(["REPLCONF", "capa", "eof"])
        _ = try await client.readLine()
        try await client.send(["REPLCONF", "rdb-only", "1"])
        let rdbOnly = try await client.readLine()
        if rdbOnly != "+OK" {
            logger.info("redis ignores REPLCONF rdb-only (before 7.0); the stream is closed after the RDB")
        }
        try await client.send(["SYNC"])
        let started = now()
        let header = try await client.readLine()
        guard header.hasPrefix("$") else {
            throw RedisSourceError("Redis refused SYNC: \(Self.serverError(header))")
        }
        let checker = RDBChecker()
        func emit(_ piece: [UInt8]) async throws {
            try checker.consume(piece)
            try await sink.write(piece)
        }
        if header.hasPrefix("$EOF:") {
            let mark = Array(header.utf8.dropFirst(5))
            guard mark.count == 40 else { throw RedisSourceError("Redis sent a malformed EOF mark") }
            // The payload ends with the mark: hold the last 40 bytes back until more arrive.
            var held: [UInt8] = []
            while true {
                held += try await client.read(maxCount: 1 << 20)
                if held.count >= 40 && Array(held.suffix(40)) == mark {
                    if held.count > 40 { try await emit(Array(held.dropLast(40))) }
                    break
                }
                if held.count > 40 {
                    try await emit(Array(held.dropLast(40)))
                    held = Array(held.suffix(40))
                }
            }
        } else {
            guard let length = Int64(header.dropFirst()), length >= 0 else {
                throw RedisSourceError("Redis sent a malformed RDB length: \(header.prefix(40))")
            }
            var remaining = length
            while remaining > 0 {
                let piece = try await client.read(maxCount: Int(min(remaining, 1 << 20)))
                remaining -= Int64(piece.count)
                try await emit(piece)
            }
        }
        let (rdb, digest) = try checker.finishWithSummary()
        return SnapshotSummary(
            snapshotAt: started, recordCount: rdb.keys, contentDigest: digest,
            sourceVersion: rdb.redisVersion.map { "Redis \($0), RDB \(rdb.version)" } ?? "RDB \(rdb.version)",
            warnings: rdb.checksumVerified ? [] : ["the RDB carries no checksum (rdbchecksum no)"])
    }

    /// `SYNC` on a Redis Cluster node returns that master's keys only: a backup that looks
    /// complete but holds a third of the data. Refuse it and name the mode that covers a cluster.
    /// A server that refuses `INFO` (a narrow ACL) is given the benefit of the doubt.
    private func refuseCluster(_ client: RedisReplicationClient) async throws {
        try await client.send(["INFO", "server"])
        let header = try await client.readLine()
        guard header.hasPrefix("$"), let length = Int(header.dropFirst()), (0...(1 << 20)).contains(length) else { return }
        var text: [UInt8] = []
        while text.count < length + 2 { text += try await client.read(maxCount: length + 2 - text.count) }
        if String(decoding: text, as: UTF8.self).contains("redis_mode:cluster") {
            throw RedisSourceError("\(settings.host):\(settings.port) is a Redis Cluster node: mode rdb would back up one master's slots only; set the dataset's mode: logical, which backs up every master")
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
    /// still walks it). A logical backup's digest is over keys, so its read-back reads them all.
    public func makeReadBackChecker(for summary: SnapshotSummary) -> any SnapshotChecker {
        guard settings.mode == .rdb, let digest = summary.contentDigest, let count = summary.recordCount else { return makeChecker() }
        return RDBRehashChecker(expectedDigest: digest, recordCount: count)
    }
}
