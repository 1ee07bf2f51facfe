import Foundation
import PhoenixDomain
import PhoenixRedis
@testable import PhoenixSources
import PhoenixTesting
import Testing

/// Mode rdb on a Redis Cluster: one RDB per master over SYNC, restored master by master into
/// fresh nodes that then form a cluster again. In `RedisClusterTests`, which is serialized:
/// they share the test-services cluster.
extension RedisClusterTests {
    @Test func eachMasterIsBackedUpOverSYNCAndRestoredNodeByNodeIntoANewCluster() async throws {
        try await TestServers.with { servers in
            let source = try await servers.sharedCluster()
            try await source.flush()
            try await source.run(Self.commands(prefix: "rdb-"))
            let sink = MemorySink()
            let summary = try await RedisLogicalTests.source(source.address, mode: .rdb).snapshot(into: sink)
            #expect(summary.recordCount == 901)
            #expect(summary.sourceVersion?.contains("cluster of 3 masters") == true, "\(summary.sourceVersion ?? "")")
            #expect(summary.sourceVersion?.contains("RDB") == true, "\(summary.sourceVersion ?? "")")

            // The verify's checker agrees on the count and the digest; the slot map covers every slot once.
            let checker = RedisSource(settings: try .init(address: source.address), now: { Date() }, logger: RedisSourceTests.logger).makeChecker()
            for piece in await sink.pieces(of: 70_000) { try checker.consume(piece) }
            let checked = try await checker.finish()
            #expect(checked.recordCount == 901)
            #expect(checked.contentDigest == summary.contentDigest)
            var reader = RedisClusterRDBReader()
            var perMaster: [Int64] = []
            for piece in await sink.pieces() {
                for case .nodeEnded(_, let end) in try reader.consume(piece) { perMaster.append(end.keys) }
            }
            let nodes = try reader.finish().nodes
            #expect(nodes.count == 3)
            #expect((0..<RedisClusterSlot.count).allSatisfy { slot in nodes.filter { $0.serves(slot) }.count == 1 })
            #expect(perMaster.count == 3 && perMaster.allSatisfy { $0 > 200 }, "\(perMaster)")

            // The DR cluster has the same layout. Each of its masters is stopped and gets the RDB of
            // the master that served the same slots, as each host restores its own node; its
            // nodes.conf keeps its slots, and the keys are loaded at start.
            let target = try await servers.cluster()
            let targetNodes = try await target.nodes()
            for (number, node) in nodes.enumerated().map({ ($0.offset + 1, $0.element) }) {
                let port = try #require(targetNodes.first { $0.slots == node.slots }.flatMap { Int($0.address.split(separator: ":").last!) })
                let restored = RestoredNode(port: port, directory: "\(target.directory!)/node-\(port)")
                _ = try await ProcessRunner.run("bash", ["\(RedisInstance.scripts)/stop-pid.sh", target.pids[port - target.basePort]])
                servers.onStop { await restored.stop() }
                var pieces = await sink.pieces(of: 65_536)[...]
                // Master 2 is picked by its address, the others by their number.
                let selection = RedisClusterRDBSelection(.init(number == 2 ? node.address : String(number)), source: { pieces.popFirst() })
                let restorer = RedisRDBRestorer(settings: .init(dataDirectory: restored.directory, startCommand: restored.startCommand,
                                                                server: try .init(address: restored.address)), logger: RedisSourceTests.logger)
                let report = try await restorer.restore { try await selection.next() }
                #expect(selection.node?.number == number)
                #expect(report.restoredKeys == perMaster[number - 1])
            }
            for node in targetNodes { try await RestoredNode.waitForClusterOK(node.address) }
            let restored = target
            let sourceMasters = try await source.masters()
            let restoredMasters = try await restored.masters()
            #expect(try await redisContents(restoredMasters) == (try await redisContents(sourceMasters)))
            for session in sourceMasters + restoredMasters { await session.close() }
        }
    }

    @Test func aDamagedClusterBackupOrAMissingMasterIsRefusedAndNothingIsMovedIntoPlace() async throws {
        try await TestServers.with { servers in
            let source = try await servers.sharedCluster()
            try await source.flush()
            try await source.run(Self.commands(prefix: "bad-"))
            let sink = MemorySink()
            _ = try await RedisLogicalTests.source(source.address, mode: .rdb).snapshot(into: sink)
            let stream = await sink.bytes
            let directory = NSTemporaryDirectory() + "phx-cluster-rdb-" + UUID().uuidString.lowercased()
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }

            func restoreFails(_ bytes: [UInt8], node: String = "1") async -> String {
                var pieces = stride(from: 0, to: bytes.count, by: 50_000).map { Array(bytes[$0..<min(bytes.count, $0 + 50_000)]) }[...]
                let selection = RedisClusterRDBSelection(.init(node), source: { pieces.popFirst() })
                let restorer = RedisRDBRestorer(settings: .init(dataDirectory: directory), logger: RedisSourceTests.logger)
                let error = await #expect(throws: RedisSourceError.self) { _ = try await restorer.restore { try await selection.next() } }
                return error.map { "\($0)" } ?? ""
            }
            // A byte in the middle of the first RDB frame's body, found by walking the frames.
            let firstRDBFrame = try #require(Self.frameStarts(stream).first { stream[$0] == RedisClusterRDBFormat.FrameType.rdb.rawValue })
            let bodyLength = stream[(firstRDBFrame + 1)..<(firstRDBFrame + 5)].reduce(0) { $0 << 8 | Int($1) }
            var flipped = stream
            flipped[firstRDBFrame + 5 + bodyLength / 2] ^= 0x20
            var lyingEnd = stream
            let keysField = try #require(Self.range(of: Array("\"keys\":".utf8), in: stream))
            lyingEnd[keysField + 7] = lyingEnd[keysField + 7] == UInt8(ascii: "1") ? UInt8(ascii: "2") : UInt8(ascii: "1")
            let cases: [(String, [UInt8], String)] = [
                ("cut in the last master", Array(stream.prefix(stream.count * 9 / 10)), "truncated"),
                ("without its summary", Array(stream.prefix(Self.lastFrameStart(stream))), "summary frame is missing"),
                ("a byte flipped in the first RDB", flipped, "master 1"),
                ("a master's key count changed", lyingEnd, "master 1"),
                ("bytes after the summary", stream + [0x52, 0, 0, 0, 1, 0x41], "bytes after the summary"),
                ("an unknown frame", Array(stream.prefix(8)) + [0x51, 0, 0, 0, 0], "unknown frame type 0x51"),
                ("an oversized frame", Array(stream.prefix(8)) + [0x52, 0xFF, 0xFF, 0xFF, 0xFF], "larger than"),
                ("not a cluster backup", Array("REDIS0010".utf8) + stream.dropFirst(9), "bad magic"),
            ]
            for (name, bytes, expected) in cases {
                let message = await restoreFails(bytes)
                #expect(message.contains(expected), "\(name): \(message)")
            }
            let missing = await restoreFails(stream, node: "4")
            #expect(missing.contains("no master \"4\"") && missing.contains("1: ") && missing.contains("3: "), "\(missing)")
            // Nothing was moved into place, and no temporary file is left.
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
        }
    }

    /// A cluster with a slot no master serves (a master down, failing over) or served twice is
    /// not backed up as if it were whole, and a stream whose slot map has a gap is refused.
    @Test func aSlotMapWithAGapOrAnOverlapIsNotWhole() throws {
        let node = { (port: Int, ranges: [[Int]]) in RedisClusterNode(address: "127.0.0.1:\(port)", id: String(repeating: "a", count: 40), slots: ranges) }
        #expect(RedisClusterNode.coverageProblem(of: [node(1, [[0, 8000]]), node(2, [[8001, 16383]])]) == nil)
        #expect(RedisClusterNode.coverageProblem(of: [node(1, [[0, 8000]]), node(2, [[8002, 16383]])]) == "slot 8001 has no master (1 slots unserved)")
        #expect(RedisClusterNode.coverageProblem(of: [node(1, [[0, 8000]]), node(2, [[8000, 16383]])]) == "slot 8000 is claimed by 2 masters")
        #expect(RedisClusterNode.coverageProblem(of: [node(1, [[0, 16384]])])?.contains("outside 0-16383") == true)

        var reader = RedisClusterRDBReader()
        let summary = try RedisClusterRDBFormat.frame(.summary, json: RedisClusterRDBSummary(nodes: [], keys: 0))
        _ = try reader.consume(RedisClusterRDBFormat.magic + summary)
        do {
            _ = try reader.finish()
            Issue.record("a summary without masters was accepted")
        } catch {
            #expect(error.description.contains("slot map is not whole: slot 0 has no master"), "\(error)")
        }
    }

    static func range(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        return (0...(haystack.count - needle.count)).first { haystack[$0..<$0 + needle.count].elementsEqual(needle) }
    }

    /// Where each frame begins: walk the frames from the magic.
    static func frameStarts(_ stream: [UInt8]) -> [Int] {
        var position = RedisClusterRDBFormat.magic.count
        var starts: [Int] = []
        while position + 5 <= stream.count {
            starts.append(position)
            let length = stream[(position + 1)..<(position + 5)].reduce(0) { $0 << 8 | Int($1) }
            position += 5 + length
        }
        return starts
    }

    /// Where the stream's last frame (the summary) begins.
    static func lastFrameStart(_ stream: [UInt8]) -> Int {
        frameStarts(stream).last ?? RedisClusterRDBFormat.magic.count
    }
}

/// A stopped master of a test cluster, restarted by a restore's start command over its own
/// directory (and so its own nodes.conf).
struct RestoredNode: Sendable {
    let port: Int
    let directory: String

    var address: String { "127.0.0.1:\(port)" }

    var startCommand: String {
        "REDIS_EXTRA_ARGS='--cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 5000' "
            + RedisInstance.startCommand(port: port, directory: directory)
    }

    static func waitForClusterOK(_ address: String) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let session = try await RedisLogicalSession.connect(try .init(address: address), logger: RedisSourceTests.logger)
            let info = try await session.command([Array("CLUSTER".utf8), Array("INFO".utf8)], during: "CLUSTER INFO").text ?? ""
            await session.close()
            if info.contains("cluster_state:ok") { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw RedisTestError("the restored node at \(address) never reported cluster_state:ok")
    }

    func stop() async {
        if let pid = try? String(contentsOfFile: directory + "/pid", encoding: .utf8) {
            _ = try? await ProcessRunner.run("bash", ["\(RedisInstance.scripts)/stop-pid.sh", pid.trimmingCharacters(in: .whitespacesAndNewlines)])
        }
    }
}
