import Foundation
import PhoenixTesting
import Testing

/// The binary with a redis dataset on a Redis Cluster in mode rdb: one RDB per master through the
/// API, verified offline, and `artifact restore --redis-node` picking one master's RDB.
@Suite struct RedisClusterBinaryTests {
    static let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Deploy/dev").standardized.path

    /// A three-master cluster of the test's own, and its PIDs. Ports and their cluster bus ports
    /// (+10000) stay below the ephemeral range (32768+), where outgoing connections take theirs.
    static func startCluster(_ directory: String) async throws -> (port: Int, pids: [String]) {
        var failure = ""
        for attempt in 0..<5 {
            let port = 20_000 + Int.random(in: 0..<2_700)
            let result = try await ProcessRunner.run("bash", ["\(scripts)/start-redis-cluster.sh", String(port), "\(directory)/\(attempt)"])
            if result.status == 0 { return (port, result.stdout.split(whereSeparator: \.isWhitespace).map(String.init)) }
            failure = result.stderr
        }
        throw BinaryTestError("start-redis-cluster.sh failed five times, last: \(failure)")
    }

    @Test func aClusterBackupHoldsEveryMasterAndRestoresOneMasterPerHost() async throws {
        let setup = try await offPool { try BackupBinaryTests.Setup(treeBytes: 0, files: 0) }
        defer { setup.remove() }
        let (clusterPort, pids) = try await Self.startCluster(setup.directory.path + "/cluster")
        defer { for pid in pids.compactMap({ pid_t($0) }) where pid > 0 { kill(pid, SIGKILL) } }
        // redis-cli -c follows MOVED, so the keys land on every master.
        let commands = (1...300).map { "SET key:\($0) \($0)" }.joined(separator: "\n")
        try commands.write(toFile: setup.directory.path + "/commands", atomically: true, encoding: .utf8)
        let fill = try await ProcessRunner.run("bash", ["-c", "redis-cli -c -p \(clusterPort) < \(setup.directory.path)/commands"])
        #expect(fill.status == 0, "\(fill.stderr)")
        let backup = try await BackupBinaryTests.backUpOnce(setup, configuration: """
            server:
              data_directory: \(setup.directory.path)/data
            stores:
              local: {kind: local, path: \(setup.store)}
            regions:
              main: {role: primary, redis: {address: "127.0.0.1:\(clusterPort)"}}
            datasets:
              redis_data:
                source: redis
                schedule: "0 0 1 1 *"
                retention: {keep_last: 3}
            """, dataset: "redis_data")
        #expect(backup.list.contains(#""record_count":300"#), "\(backup.list)")
        #expect(backup.list.contains("cluster of 3 masters"), "\(backup.list)")
        let path = backup.artifact
        let verify = try await ProcessRunner.run(BinaryTests.binary.path, ["artifact", "verify", path, "--keyring", setup.keyring])
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")

        let target = setup.directory.path + "/restore"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        let restore = { (extra: [String]) in
            try await ProcessRunner.run(BinaryTests.binary.path, ["artifact", "restore", path, "--keyring", setup.keyring, "--redis-dir", target] + extra)
        }
        let unnamed = try await restore([])
        #expect(unnamed.status != 0)
        #expect(unnamed.stderr.contains("--redis-node"), "\(unnamed.stderr)")
        let unknown = try await restore(["--redis-node", "9"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("no master \"9\""), "\(unknown.stderr)")
        #expect(!FileManager.default.fileExists(atPath: target + "/dump.rdb"))
        let second = try await restore(["--redis-node", "2"])
        #expect(second.status == 0, "\(second.stdout) \(second.stderr)")
        #expect(second.stdout.contains("restored: master 2 (127.0.0.1:\(clusterPort + 1), slots 5461-10922)"), "\(second.stdout)")
        let keys = try #require(second.stdout.split(separator: ",").first { $0.hasSuffix(" keys") }.flatMap { Int($0.split(separator: " ").first!) })
        #expect(keys > 50 && keys < 250, "\(second.stdout)")
        #expect(FileManager.default.fileExists(atPath: target + "/dump.rdb"))
    }
}
