import FoundationEssentials
import Logging
import PhoenixCrypto
import PhoenixDomain
import PhoenixRedis

/// The `logical` Redis backup: every key read with `SCAN`, then `DUMP` + `PTTL` pipelined per
/// `SCAN` batch, written as `RedisLogicalFormat` frames. For servers that refuse `SYNC` (managed
/// services, an ACL without `+sync`). On a Redis Cluster it scans each master in turn and records
/// the slot map.
///
/// Not one point in time: a key changed during the scan is read as it is when `DUMP` reaches it.
/// Keys that `SCAN` returns but that are gone when `DUMP` runs are skipped and counted; keys that
/// `SCAN` returns again (it may, while the server rehashes) are written once. The dedupe keeps a
/// set of every key of the database being scanned in memory: about 100 bytes a key, so some
/// 100 MiB for 1 million keys, which we accept for the datasets this mode is for.
struct RedisLogicalDumper {
    let settings: RedisSource.Settings
    let now: @Sendable () -> Date
    let logger: Logger

    /// Keys asked for per `SCAN` (a hint to the server), and so per `DUMP` + `PTTL` pipeline.
    static let scanCount = 1_000

    private struct Tally: ~Copyable {
        var keys: Int64 = 0
        var vanished: Int64 = 0
        var repeats: Int64 = 0
        var digest = RedisContentDigest()
        var frames = SHA256.Hasher()
    }

    func dump(into sink: any SnapshotSink) async throws -> SnapshotSummary {
        let started = now()
        let first = try await RedisLogicalSession.connect(settings, logger: logger)
        var tally = Tally()
        var version: String?
        var nodes: [RedisClusterNode]?
        do {
            let info = try await first.info("server")
            version = info["redis_version"]
            try await sink.write(RedisLogicalFormat.magic)
            if info["redis_mode"] == "cluster" {
                let masters = try await first.clusterMasters()
                await first.close()
                nodes = masters
                for node in masters {
                    let session = try await RedisLogicalSession.connect(try settings.at(node.address), logger: logger)
                    do {
                        try await dumpDatabase(0, from: session, select: false, into: sink, tally: &tally)
                        await session.close()
                    } catch {
                        await session.close()
                        throw error
                    }
                }
            } else {
                let databases = try await first.info("keyspace").keys.compactMap { name -> Int? in
                    name.hasPrefix("db") ? Int(name.dropFirst(2)) : nil
                }.sorted()
                for database in databases {
                    try await dumpDatabase(database, from: first, select: true, into: sink, tally: &tally)
                }
                await first.close()
            }
        } catch {
            await first.close()
            throw error
        }
        let finished = now()
        let summary = RedisLogicalSummary(
            keys: tally.keys, digest: tally.digest.hex, framesSHA256: Hex.encode(tally.frames.finalize()), vanished: tally.vanished, repeats: tally.repeats, redisVersion: version,
            startedAt: Self.milliseconds(started), finishedAt: Self.milliseconds(finished), cluster: nodes)
        try await sink.write(try RedisLogicalFormat.summaryFrame(summary))
        var warnings: [String] = []
        if tally.vanished > 0 { warnings.append("\(tally.vanished) keys were deleted or expired between SCAN and DUMP and are not in the backup") }
        let label = nodes.map { "cluster of \($0.count) masters, logical" } ?? "logical"
        return SnapshotSummary(snapshotAt: started, recordCount: tally.keys, contentDigest: tally.digest.hex,
                               sourceVersion: version.map { "Redis \($0), \(label)" } ?? label, warnings: warnings)
    }

    private func dumpDatabase(_ database: Int, from session: RedisLogicalSession, select: Bool, into sink: any SnapshotSink,
                              tally: inout Tally) async throws {
        if select { try await session.expectOK(["SELECT", String(database)]) }
        var seen = Set<[UInt8]>()
        var cursor: [UInt8] = Array("0".utf8)
        repeat {
            try Task.checkCancellation()
            let (next, keys) = try await session.scan(cursor: cursor, count: Self.scanCount)
            cursor = next
            var fresh: [[UInt8]] = []
            for key in keys {
                if seen.insert(key).inserted { fresh.append(key) } else { tally.repeats += 1 }
            }
            guard !fresh.isEmpty else { continue }
            let base = Self.milliseconds(now())
            let replies = try await session.pipeline(fresh.flatMap { [[Array("DUMP".utf8), $0], [Array("PTTL".utf8), $0]] })
            var frames: [UInt8] = []
            for (index, key) in fresh.enumerated() {
                let (dump, ttl) = (replies[2 * index], replies[2 * index + 1])
                if case .error(let message) = dump { throw session.refused("DUMP", message) }
                if case .error(let message) = ttl { throw session.refused("PTTL", message) }
                guard let payload = dump.bytes, let remaining = ttl.int, remaining != -2 else {
                    tally.vanished += 1  // DUMP answered nil, or PTTL -2: the key is gone
                    continue
                }
                // PTTL -1: no expiry. A key at 0 ms is due now; 1 keeps "has an expiry" apart from 0.
                let expiresAt = remaining < 0 ? 0 : base + max(remaining, 1)
                let entry = RedisLogicalEntry(database: database, key: key, expiresAt: expiresAt, payload: payload)
                try RedisLogicalFormat.appendKeyFrame(entry, to: &frames)
                tally.digest.add(entry)
                tally.keys += 1
            }
            if !frames.isEmpty {
                tally.frames.update(frames)
                try await sink.write(frames)
            }
        } while cursor != Array("0".utf8)
    }

    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }
}
