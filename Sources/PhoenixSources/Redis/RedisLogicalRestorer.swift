import FoundationEssentials
import Logging
import PhoenixRedis

/// Restores a `logical` artifact into a running server, remotely: every key is replayed with
/// `RESTORE key ttl payload REPLACE`, pipelined, with the TTL that remains now (keys whose TTL
/// ran out since the backup are skipped and counted). Into a Redis Cluster, each key goes to the
/// master that serves its slot (`RedisClusterSlot`), whatever the backed-up cluster's layout was.
///
/// Afterwards the server's key count must equal the backup's, less the expired keys, less keys
/// whose restored TTL has run out by the time of the count; a target that held other keys fails
/// that check. The stream's own checks (frames, count, digest: `RedisLogicalReader`) come at its
/// end, so a damaged artifact fails the restore after some keys were written: the error says so.
/// `phoenix-dr artifact restore` reads the artifact through once before writing anything.
public struct RedisLogicalRestorer: Sendable {
    /// Where to restore, and how much goes in one pipeline.
    public struct Settings: Sendable {
        /// The target server, or any node of the target cluster.
        public var server: RedisSource.Settings
        /// Keys per pipeline, and the bytes of payload that end a pipeline early.
        public var batchKeys: Int
        public var batchBytes: Int

        /// Settings for `server`, with 1,000 keys or 8 MiB per pipeline by default.
        public init(server: RedisSource.Settings, batchKeys: Int = 1_000, batchBytes: Int = 8 << 20) {
            self.server = server
            self.batchKeys = batchKeys
            self.batchBytes = batchBytes
        }
    }

    /// What the restore did, once the key count has been checked.
    public struct Report: Sendable {
        /// The backup's own summary (checked against its keys).
        public var summary: RedisLogicalSummary
        /// Keys written with RESTORE.
        public var restoredKeys: Int64
        /// Keys skipped because their TTL ran out between the backup and the restore.
        public var expiredKeys: Int64
        /// The target's key count after the restore.
        public var serverKeys: Int64
        /// The target cluster's masters, when the target is a cluster.
        public var clusterMasters: Int?
    }

    /// As given to `init`.
    public let settings: Settings
    let now: @Sendable () -> Date
    let logger: Logger

    /// A restorer; `now` is the clock the remaining TTLs are computed against.
    public init(settings: Settings, now: @escaping @Sendable () -> Date = { Date() }, logger: Logger) {
        self.settings = settings
        self.now = now
        self.logger = logger
    }

    /// Replays the stream that `next` yields (nil at its end) and checks the target's key count.
    /// - Throws: `RedisSourceError` (credentials, a refused RESTORE, a count that differs; after
    ///   keys were written it says the target is partly restored) or `RedisLogicalFormatError`.
    public func restore(next: () async throws -> [UInt8]?) async throws -> Report {
        let target = try await RedisRestoreTarget.open(settings.server, logger: logger)
        var restored: Int64 = 0
        do {
            var reader = RedisLogicalReader()
            var batch: [RedisLogicalEntry] = []
            var batchBytes = 0
            var expired: Int64 = 0
            var deadlines: [Int64] = []  // the restored keys' expiries, to allow for those that run out before the count
            func flush() async throws {
                let clock = RedisLogicalDumper.milliseconds(now())
                var live: [(entry: RedisLogicalEntry, ttl: Int64)] = []
                for entry in batch {
                    let ttl = entry.expiresAt == 0 ? 0 : entry.expiresAt - clock
                    if entry.expiresAt != 0 && ttl <= 0 { expired += 1; continue }
                    live.append((entry, ttl))
                    if entry.expiresAt != 0 { deadlines.append(entry.expiresAt) }
                }
                try await target.restore(live)
                restored += Int64(live.count)
                batch.removeAll(keepingCapacity: true)
                batchBytes = 0
            }
            while let piece = try await next() {
                for entry in try reader.consume(piece) {
                    batchBytes += entry.payload.count + entry.key.count
                    batch.append(entry)
                    if batch.count >= settings.batchKeys || batchBytes >= settings.batchBytes { try await flush() }
                }
            }
            let summary = try reader.finish()
            try await flush()
            let serverKeys = try await target.keyCount()
            let countedBy = RedisLogicalDumper.milliseconds(now())
            let ranOut = Int64(deadlines.lazy.filter { $0 <= countedBy }.count)
            await target.close()
            guard serverKeys <= restored, serverKeys >= restored - ranOut else {
                throw RedisSourceError("the restored server has \(serverKeys) keys; the backup has \(summary.keys), \(expired) of them expired since, so \(restored) were restored (was the target empty?)")
            }
            return Report(summary: summary, restoredKeys: restored, expiredKeys: expired, serverKeys: serverKeys,
                          clusterMasters: target.isCluster ? target.sessions.count : nil)
        } catch {
            await target.close()
            guard restored > 0 else { throw error }
            throw RedisSourceError("\(error); \(restored) keys had already been written: the target is partly restored")
        }
    }
}

/// Where a logical restore writes: one server, or each master of a cluster by slot.
struct RedisRestoreTarget: Sendable {
    let sessions: [RedisLogicalSession]
    /// For a cluster: the index into `sessions` of each slot's master.
    let slotOwners: [Int]?

    var isCluster: Bool { slotOwners != nil }

    static func open(_ settings: RedisSource.Settings, logger: Logger) async throws -> RedisRestoreTarget {
        let first = try await RedisLogicalSession.connect(settings, logger: logger)
        do {
            guard try await first.info("server")["redis_mode"] == "cluster" else {
                return RedisRestoreTarget(sessions: [first], slotOwners: nil)
            }
            let masters = try await first.clusterMasters()
            await first.close()
            var sessions: [RedisLogicalSession] = []
            var owners = [Int](repeating: -1, count: RedisClusterSlot.count)
            do {
                for (index, node) in masters.enumerated() {
                    sessions.append(try await RedisLogicalSession.connect(try settings.at(node.address), logger: logger))
                    for range in node.slots where range.count == 2 {
                        for slot in max(0, range[0])...min(RedisClusterSlot.count - 1, range[1]) { owners[slot] = index }
                    }
                }
            } catch {
                for session in sessions { await session.close() }
                throw error
            }
            let target = RedisRestoreTarget(sessions: sessions, slotOwners: owners)
            if let unserved = owners.firstIndex(of: -1) {
                await target.close()
                throw RedisSourceError("the target Redis Cluster serves no node for slot \(unserved): it cannot take every key")
            }
            return target
        } catch {
            await first.close()
            throw error
        }
    }

    /// Sends each key's `RESTORE` to its server (after a `SELECT` where the database changes,
    /// outside a cluster), one pipeline per server, and checks every reply.
    func restore(_ entries: [(entry: RedisLogicalEntry, ttl: Int64)]) async throws {
        var commands = [[[[UInt8]]]](repeating: [], count: sessions.count)
        var selected = -1
        for (entry, ttl) in entries {
            var index = 0
            if let slotOwners {
                guard entry.database == 0 else {
                    throw RedisSourceError("the backup has keys in database \(entry.database); a Redis Cluster has only database 0")
                }
                index = slotOwners[RedisClusterSlot.of(entry.key)]
            } else if entry.database != selected {
                commands[0].append([Array("SELECT".utf8), Array(String(entry.database).utf8)])
                selected = entry.database
            }
            commands[index].append([Array("RESTORE".utf8), entry.key, Array(String(ttl).utf8), entry.payload, Array("REPLACE".utf8)])
        }
        for (session, batch) in zip(sessions, commands) where !batch.isEmpty {
            for (command, reply) in zip(batch, try await session.pipeline(batch)) {
                if case .error(let message) = reply { throw session.refused(String(decoding: command[0], as: UTF8.self), message) }
            }
        }
    }

    /// Keys in every database (`INFO keyspace`), summed over the masters of a cluster.
    func keyCount() async throws -> Int64 {
        var total: Int64 = 0
        for session in sessions {
            total += RedisInfo(fields: try await session.info("keyspace")).keyCount
        }
        return total
    }

    func close() async {
        for session in sessions { await session.close() }
    }
}
