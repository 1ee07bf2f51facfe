import Foundation
import PhoenixTesting
import Testing

/// The binary with a redis dataset in mode logical: a backup through the API, then the offline
/// `artifact restore` replayed into another server and checked; a damaged artifact writes nothing.
@Suite struct RedisBinaryTests {
    /// A redis-server of the test's own on a random port, its output discarded (no pipes for a
    /// daemon to hold). Stopped with SIGKILL: started from the test process it did not always
    /// act on SIGTERM, and its data is throwaway.
    static func startRedis(_ directory: String) async throws -> (SpawnedProcess, Int) {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for _ in 0..<10 {
            let port = 30_000 + Int.random(in: 0..<20_000)
            let server = try SpawnedProcess("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--dir", directory, "--save", "",
                                                             "--appendonly", "no", "--logfile", directory + "/redis.log"])
            let up = await eventually(timeout: .seconds(10)) {
                (try? await ProcessRunner.run("redis-cli", ["-p", String(port), "ping"]).stdout.contains("PONG")) == true || !server.isRunning
            }
            if up && server.isRunning { return (server, port) }
            server.kill(SIGKILL)
        }
        throw BinaryTestError("redis-server did not start")
    }

    static func cli(_ port: Int, _ arguments: [String]) async throws -> String {
        try await ProcessRunner.run("redis-cli", ["-p", String(port)] + arguments).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func aLogicalRedisBackupIsReplayedOfflineIntoAnotherServerAndChecked() async throws {
        let setup = try await offPool { try BackupBinaryTests.Setup(treeBytes: 0, files: 0) }
        defer { setup.remove() }
        let (source, sourcePort) = try await Self.startRedis(setup.directory.path + "/redis-source")
        let (target, targetPort) = try await Self.startRedis(setup.directory.path + "/redis-target")
        defer {
            source.kill(SIGKILL)
            target.kill(SIGKILL)
        }
        _ = try await Self.cli(sourcePort, ["EVAL", "for i = 1, 700 do redis.call('SET', 'k' .. i, i) end for i = 1, 20 do redis.call('RPUSH', 'l' .. i, 'a', 'b') redis.call('EXPIRE', 'l' .. i, 86400) end return 1", "0"])
        let backup = try await BackupBinaryTests.backUpOnce(setup, configuration: """
            server:
              data_directory: \(setup.directory.path)/data
            stores:
              local: {kind: local, path: \(setup.store)}
            regions:
              main: {role: primary, redis: {address: "127.0.0.1:\(sourcePort)"}}
            datasets:
              redis_data:
                source: redis
                mode: logical
                schedule: "0 0 1 1 *"
                retention: {keep_last: 3}
            """, dataset: "redis_data")
        #expect(backup.list.contains(#""record_count":720"#), "\(backup.list)")
        #expect(backup.list.contains("logical"), "\(backup.list)")
        let path = backup.artifact
        let intoDirectory = try await ProcessRunner.run(BinaryTests.binary.path, [
            "artifact", "restore", path, "--keyring", setup.keyring, "--redis-dir", setup.directory.path + "/nowhere",
        ])
        #expect(intoDirectory.status != 0)
        #expect(intoDirectory.stderr.contains("logical redis backup"), "\(intoDirectory.stderr)")

        let restore = try await ProcessRunner.run(BinaryTests.binary.path, [
            "artifact", "restore", path, "--keyring", setup.keyring, "--redis-address", "127.0.0.1:\(targetPort)",
        ])
        #expect(restore.status == 0, "\(restore.stdout) \(restore.stderr)")
        #expect(restore.stdout.contains("restored: 720 keys"), "\(restore.stdout)")
        #expect(restore.stdout.contains("server: 720 keys, as expected"), "\(restore.stdout)")
        #expect(try await Self.cli(targetPort, ["LRANGE", "l7", "0", "-1"]) == "a\nb")
        let ttl = Int(try await Self.cli(targetPort, ["TTL", "l7"])) ?? 0
        #expect(ttl > 86_000 && ttl <= 86_400, "\(ttl)")

        // Cut short: the artifact fails its check before a single key is written.
        _ = try await Self.cli(targetPort, ["FLUSHALL"])
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count - 100).write(to: URL(fileURLWithPath: path))
        let cut = try await ProcessRunner.run(BinaryTests.binary.path, [
            "artifact", "restore", path, "--keyring", setup.keyring, "--redis-address", "127.0.0.1:\(targetPort)",
        ])
        #expect(cut.status != 0)
        #expect(cut.stderr.contains("nothing was written"), "\(cut.stderr)")
        #expect(try await Self.cli(targetPort, ["DBSIZE"]) == "0")
    }
}

struct BinaryTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
