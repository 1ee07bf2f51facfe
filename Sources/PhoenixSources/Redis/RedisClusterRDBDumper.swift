import FoundationEssentials
import Logging
import PhoenixCrypto
import PhoenixDomain

/// The `rdb` backup of a Redis Cluster: the slot map from `CLUSTER SLOTS`, then each master's
/// RDB over `SYNC`, one after another, written as `RedisClusterRDBFormat` frames. Each RDB is
/// walked (structure, CRC-64, keys) as it streams; the content digest is the SHA-256 of the
/// whole stream, so the read-back can rehash it as for a single server's RDB.
struct RedisClusterRDBDumper {
    let settings: RedisSource.Settings
    let now: @Sendable () -> Date
    let logger: Logger

    func dump(into sink: any SnapshotSink) async throws -> SnapshotSummary {
        let first = try await RedisLogicalSession.connect(settings, logger: logger)
        let masters: [RedisClusterNode]
        do {
            masters = try await first.clusterMasters()
            await first.close()
            if let problem = RedisClusterNode.coverageProblem(of: masters) {
                throw RedisSourceError("the Redis Cluster at \(settings.address) is not whole: \(problem); back it up once every slot has a master")
            }
        } catch {
            await first.close()
            throw error
        }
        var hasher = SHA256.Hasher()
        func write(_ bytes: [UInt8]) async throws {
            hasher.update(bytes)
            try await sink.write(bytes)
        }
        try await write(RedisClusterRDBFormat.magic)
        /// One master's RDB as `R` frames, and what it held.
        func pull(_ master: RedisClusterNode) async throws -> (RedisClusterRDBNodeEnd, RDBScanner.Summary) {
            let client = RedisReplicationClient()
            do {
                try await client.open(try settings.at(master.address))
                let snapshotAt = now()
                let checker = RDBChecker()
                try await client.pullRDB(logger: logger) { piece in
                    try checker.consume(piece)
                    try await write(RedisClusterRDBFormat.frame(.rdb, piece))
                }
                await client.close()
                let (rdb, digest) = try checker.finishWithSummary()
                let end = RedisClusterRDBNodeEnd(keys: rdb.keys, rdbSHA256: digest, rdbVersion: rdb.version, redisVersion: rdb.redisVersion,
                                                 snapshotAt: RedisLogicalDumper.milliseconds(snapshotAt))
                return (end, rdb)
            } catch {
                await client.close()
                throw error
            }
        }
        var keys: Int64 = 0
        var started: Date?
        var versions = Set<String>()
        var warnings: [String] = []
        for (index, master) in masters.enumerated() {
            try Task.checkCancellation()
            let node = RedisClusterRDBNode(number: index + 1, node: master)
            try await write(try RedisClusterRDBFormat.frame(.node, json: node))
            let (end, rdb) = try await pull(master)
            started = started ?? Date(timeIntervalSince1970: Double(end.snapshotAt) / 1000)
            try await write(try RedisClusterRDBFormat.frame(.nodeEnd, json: end))
            keys += end.keys
            versions.insert(end.redisVersion.map { "Redis \($0), RDB \(end.rdbVersion)" } ?? "RDB \(end.rdbVersion)")
            if !rdb.checksumVerified { warnings.append("the RDB of \(master.address) carries no checksum (rdbchecksum no)") }
        }
        try await write(try RedisClusterRDBFormat.frame(.summary, json: RedisClusterRDBSummary(nodes: masters, keys: keys)))
        return SnapshotSummary(
            snapshotAt: started ?? now(), recordCount: keys, contentDigest: Hex.encode(hasher.finalize()),
            sourceVersion: "\(versions.sorted().joined(separator: "; ")), cluster of \(masters.count) masters", warnings: warnings)

    }
}

/// A cluster RDB stream read back or verified: every master's RDB walked and checked, the
/// masters against the summary; its digest is the SHA-256 of the whole stream.
final class RedisClusterRDBChecker: SnapshotChecker {
    private var reader = RedisClusterRDBReader()
    private var hasher = SHA256.Hasher()

    func consume(_ bytes: [UInt8]) throws {
        _ = try reader.consume(bytes)
        hasher.update(bytes)
    }

    func finish() throws -> (recordCount: Int64?, contentDigest: String?) {
        let summary = try reader.finish()
        return (summary.keys, Hex.encode(hasher.finalize()))
    }
}
