import Foundation
@testable import PhoenixSources
import PhoenixRedis
import PhoenixTesting

/// A three-master Redis Cluster of a test's own (Deploy/dev/start-redis-cluster.sh), or the shared
/// one of `test-services.sh` (`PHOENIX_TEST_REDIS_CLUSTER`); `stop()` stops only what was started.
struct RedisClusterInstance: Sendable {
    let address: String
    let pids: [String]
    let directory: String?

    /// Three fresh masters on three consecutive ports (bus ports +10000). A port taken between
    /// the script's check and the server's bind (by anything on this busy machine) is retried.
    static func start() async throws -> RedisClusterInstance {
        var failure = ""
        for _ in 0..<5 {
            let directory = NSTemporaryDirectory() + "phx-redis-cluster-" + UUID().uuidString.lowercased()
            let port = 20_000 + Int.random(in: 0..<12_000)  // below the ephemeral range (32768+), with bus ports below 42768
            let script = try ChildProcess("bash", arguments: ["\(RedisInstance.scripts)/start-redis-cluster.sh", String(port), directory])
            var output: [UInt8] = []
            while true {
                let piece = try await script.read(maxCount: 4096)
                if piece.isEmpty { break }
                output += piece
            }
            if await script.wait() == 0 {
                let pids = String(decoding: output, as: UTF8.self).split(whereSeparator: \.isWhitespace).map(String.init)
                return RedisClusterInstance(address: "127.0.0.1:\(port)", pids: pids, directory: directory)
            }
            failure = script.errorOutput
            try? FileManager.default.removeItem(atPath: directory)
        }
        throw RedisTestError("start-redis-cluster.sh failed five times, last: \(failure)")
    }

    func stop() async {
        for pid in pids { _ = try? await ProcessRunner.run("bash", ["\(RedisInstance.scripts)/stop-pid.sh", pid]) }
        if let directory { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// The first of the three consecutive ports (the one `address` names).
    var basePort: Int { Int(address.split(separator: ":").last!)! }

    /// The masters and their slots, by slot order.
    func nodes() async throws -> [RedisClusterNode] {
        let first = try await RedisLogicalSession.connect(try .init(address: address), logger: RedisSourceTests.logger)
        let nodes = try await first.clusterMasters()
        await first.close()
        return nodes
    }

    /// The masters' sessions, by slot order.
    func masters() async throws -> [RedisLogicalSession] {
        let first = try await RedisLogicalSession.connect(try .init(address: address), logger: RedisSourceTests.logger)
        let nodes = try await first.clusterMasters()
        await first.close()
        var sessions: [RedisLogicalSession] = []
        for node in nodes { sessions.append(try await RedisLogicalSession.connect(try .init(address: node.address), logger: RedisSourceTests.logger)) }
        return sessions
    }

    /// Empties every master.
    func flush() async throws {
        for session in try await masters() {
            try await session.expectOK(["FLUSHALL"])
            await session.close()
        }
    }

    /// Runs `commands` (single-key commands, the key second), each on the master of its key's slot.
    func run(_ commands: [[String]]) async throws {
        let sessions = try await masters()
        let first = try await RedisLogicalSession.connect(try .init(address: address), logger: RedisSourceTests.logger)
        let nodes = try await first.clusterMasters()
        await first.close()
        var byNode = [[[[UInt8]]]](repeating: [], count: nodes.count)
        for command in commands {
            let slot = RedisClusterSlot.of(Array(command[1].utf8))
            byNode[nodes.firstIndex { $0.serves(slot) }!].append(command.map { Array($0.utf8) })
        }
        for (session, batch) in zip(sessions, byNode) {
            for reply in try await session.pipeline(batch) where reply.isError { throw RedisTestError("\(reply)") }
            await session.close()
        }
    }
}

/// Every key of `sessions` (database 0) in a canonical form: type, value (sets and hashes sorted,
/// their order follows the hash table), and whether it has a TTL. Comparable between a single
/// server and a cluster, whatever the layout.
func redisContents(_ sessions: [RedisLogicalSession]) async throws -> [String: String] {
    var contents: [String: String] = [:]
    for session in sessions {
        var cursor = Array("0".utf8)
        repeat {
            let (next, keys) = try await session.scan(cursor: cursor, count: 500)
            cursor = next
            for key in keys {
                let name = String(decoding: key, as: UTF8.self)
                let type = try await session.command([Array("TYPE".utf8), key], during: "TYPE").text ?? ""
                let read: [String] = switch type {
                case "string": ["GET", name]
                case "list": ["LRANGE", name, "0", "-1"]
                case "set": ["SMEMBERS", name]
                case "zset": ["ZRANGE", name, "0", "-1", "WITHSCORES"]
                case "hash": ["HGETALL", name]
                default: ["XRANGE", name, "-", "+"]
                }
                let value = try await session.command(read.map { Array($0.utf8) }, during: read[0])
                var text = flatten(value)
                if type == "set" { text.sort() }
                if type == "hash" { text = stride(from: 0, to: text.count, by: 2).map { text[$0] + "=" + text[$0 + 1] }.sorted() }
                let ttl = try await session.command([Array("PTTL".utf8), key], during: "PTTL").int ?? -3
                contents[name] = "\(type)|\(text.joined(separator: ","))|\(ttl > 0)"
            }
        } while cursor != Array("0".utf8)
    }
    return contents
}

private func flatten(_ value: RedisValue) -> [String] {
    switch value {
    case .array(let items): items.flatMap(flatten)
    default: [value.text ?? value.int.map { "\($0)" } ?? "nil"]
    }
}
