import Foundation
import PhoenixDomain
@testable import PhoenixSources
import PhoenixTesting
import Testing

/// Logical backups of a three-master Redis Cluster, restored by slot into another cluster; and a
/// single server's backup spread over a cluster. Serialized: they share the test-services cluster.
@Suite(.serialized) struct RedisClusterTests {
    /// Keys of every type spread over all slots, hash-tagged groups, and keys with TTLs.
    static func commands(prefix: String) -> [[String]] {
        var commands: [[String]] = []
        for i in 0..<600 { commands.append(["SET", "\(prefix)s:\(i)", "value-\(i)"]) }
        for i in 0..<60 {
            commands.append(["RPUSH", "\(prefix)l:\(i)", "a", "b", "\(i)"])
            commands.append(["SADD", "\(prefix)set:\(i)", "x", "y", "\(i)"])
            commands.append(["ZADD", "\(prefix)z:\(i)", "1.5", "one", "\(i)", "n"])
            commands.append(["HSET", "{\(prefix)user\(i)}.profile", "name", "u\(i)", "age", "\(i)"])
            commands.append(["SET", "{\(prefix)user\(i)}.token", "t\(i)", "EX", "86400"])
        }
        commands.append(["XADD", "\(prefix)stream", "*", "n", "1"])
        commands.append(["XADD", "\(prefix)stream", "*", "n", "2"])
        return commands
    }

    @Test func aClusterIsBackedUpMasterByMasterAndRestoredBySlotIntoAnotherCluster() async throws {
        try await TestServers.with { servers in
            let source = try await servers.sharedCluster()
            let target = try await servers.cluster()
            try await source.flush()
            let commands = Self.commands(prefix: "")
            try await source.run(commands)
            let sink = MemorySink()
            let summary = try await RedisLogicalTests.source(source.address).snapshot(into: sink)
            #expect(summary.recordCount == 901)
            #expect(summary.sourceVersion?.contains("cluster of 3 masters") == true, "\(summary.sourceVersion ?? "")")

            // The slot map is recorded: three masters covering every slot once.
            var reader = RedisLogicalReader()
            for piece in await sink.pieces() { _ = try reader.consume(piece) }
            let nodes = try #require(try reader.finish().cluster)
            #expect(nodes.count == 3)
            #expect((0..<RedisClusterSlot.count).allSatisfy { slot in nodes.filter { $0.serves(slot) }.count == 1 })

            let report = try await RedisLogicalTests.restore(sink, into: target.address)
            #expect(report.clusterMasters == 3)
            #expect(report.serverKeys == 901)
            let sourceMasters = try await source.masters()
            let targetMasters = try await target.masters()
            #expect(try await redisContents(targetMasters) == (try await redisContents(sourceMasters)))
            for session in sourceMasters + targetMasters { await session.close() }
        }
    }

    @Test func aSingleServersBackupIsSpreadOverTheClusterBySlot() async throws {
        try await TestServers.with { servers in
            let source = try await servers.redis()
            let target = try await servers.sharedCluster()
            try await target.flush()
            let script = "for i = 1, 900 do redis.call('SET', 'k' .. i, i) end for i = 1, 30 do redis.call('HSET', '{tag}' .. i, 'f', i) end return 1"
            try await source.cli(["EVAL", script, "0"])
            let sink = MemorySink()
            _ = try await RedisLogicalTests.source(source.address).snapshot(into: sink)
            let report = try await RedisLogicalTests.restore(sink, into: target.address)
            #expect(report.serverKeys == 930)
            let masters = try await target.masters()
            var perMaster: [Int64] = []
            for session in masters { perMaster.append(RedisInfo(fields: try await session.info("keyspace")).keyCount) }
            #expect(perMaster.allSatisfy { $0 > 100 }, "spread over every master: \(perMaster)")
            let single = try await RedisLogicalSession.connect(try .init(address: source.address), logger: RedisSourceTests.logger)
            #expect(try await redisContents(masters) == (try await redisContents([single])))
            for session in masters + [single] { await session.close() }

            // A backup with keys outside database 0 cannot go into a cluster: a clear error.
            try await source.cli(["SET", "elsewhere", "1"], database: 2)
            let other = MemorySink()
            _ = try await RedisLogicalTests.source(source.address).snapshot(into: other)
            try await target.flush()
            let error = await #expect(throws: RedisSourceError.self) { _ = try await RedisLogicalTests.restore(other, into: target.address) }
            #expect(error?.description.contains("keys in database 2; a Redis Cluster has only database 0") == true, "\(error.map { "\($0)" } ?? "")")
        }
    }
}
