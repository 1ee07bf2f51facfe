import Foundation
import Logging
import PhoenixDomain
@testable import PhoenixSources
import PhoenixTesting
import Synchronization
import Testing

/// RDB backups over the replication protocol from real Redis servers, restored into another.
@Suite struct RedisSourceTests {
    static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    static func source(_ address: String, password: String? = nil) throws -> RedisSource {
        RedisSource(settings: try .init(address: address, password: password), now: { Date() }, logger: logger)
    }

    /// Every kind of value Redis 7.0 writes (both encodings of most types), two databases,
    /// keys with and without TTLs, a large compressible and a large random value.
    static func fill(_ redis: RedisInstance) async throws {
        let script = """
            for i = 1, 300 do redis.call('SET', 'str:' .. i, 'value-' .. i) end
            redis.call('SET', 'int', '12345')
            redis.call('SET', 'big:text', string.rep('compressible text ', 100000))
            local random = {}
            for i = 1, 20000 do random[i] = string.char((i * 7919 + i * i * 31) % 256) end
            redis.call('SET', 'big:bytes', table.concat(random))
            for i = 1, 10 do redis.call('RPUSH', 'list:small', i) end
            for i = 1, 1000 do redis.call('RPUSH', 'list:large', string.rep('x', 100) .. i) end
            for i = 1, 10 do redis.call('SADD', 'set:ints', i) end
            for i = 1, 10 do redis.call('SADD', 'set:small', 'm' .. i) end
            for i = 1, 1000 do redis.call('SADD', 'set:large', 'member-' .. i) end
            for i = 1, 10 do redis.call('ZADD', 'zset:small', i, 'z' .. i) end
            for i = 1, 1000 do redis.call('ZADD', 'zset:large', i / 3, 'member-' .. i) end
            for i = 1, 10 do redis.call('HSET', 'hash:small', 'f' .. i, i) end
            for i = 1, 1000 do redis.call('HSET', 'hash:large', 'field-' .. i, string.rep('v', 80)) end
            for i = 1, 50 do redis.call('XADD', 'stream', '*', 'n', i) end
            redis.call('XGROUP', 'CREATE', 'stream', 'workers', '0')
            redis.call('XREADGROUP', 'GROUP', 'workers', 'alice', 'COUNT', 5, 'STREAMS', 'stream', '>')
            for i = 1, 40 do redis.call('SET', 'ttl:' .. i, i, 'EX', 86400) end
            return 'ok'
            """
        try await redis.cli(["EVAL", script, "0"])
        try await redis.cli(["EVAL", "for i = 1, 25 do redis.call('SET', 'db3:' .. i, i) end return 'ok'", "0"], database: 3)
    }

    static func keyCount(_ redis: RedisInstance) async throws -> Int64 {
        let a = Int64(try await redis.cli(["DBSIZE"])) ?? -1
        let b = Int64(try await redis.cli(["DBSIZE"], database: 3)) ?? -1
        return a + b
    }

    @Test(arguments: ["", "--repl-diskless-sync no"])
    func anRDBPulledOverReplicationRestoresIntoAnotherServerIdentically(serverOptions: String) async throws {
        let source = try await RedisInstance.start(extraArguments: serverOptions)
        let restoreDirectory = NSTemporaryDirectory() + "phx-redis-restore-" + UUID().uuidString.lowercased()
        let restorePort = LoopbackPort.free()
        defer {
            Task {
                await source.stop()
                if let pid = try? String(contentsOfFile: restoreDirectory + "/pid", encoding: .utf8) {
                    _ = try? await ProcessRunner.run("bash", ["\(RedisInstance.scripts)/stop-pid.sh", pid.trimmingCharacters(in: .whitespacesAndNewlines)])
                }
                try? FileManager.default.removeItem(atPath: restoreDirectory)
            }
        }
        try await Self.fill(source)
        let expected = try await Self.keyCount(source)
        let sink = MemorySink()
        let summary = try await Self.source(source.address).snapshot(into: sink)
        #expect(summary.recordCount == expected)
        #expect(summary.sourceVersion?.hasPrefix("Redis 7.") == true, "\(summary.sourceVersion ?? "")")
        #expect(summary.warnings.isEmpty)

        // The same count as a scan of what `redis-cli --rdb` saves from the same server.
        let reference = source.directory + "/reference.rdb"
        try await source.cli(["--rdb", reference])
        var scanner = RDBScanner()
        try scanner.consume(Array(try Data(contentsOf: URL(fileURLWithPath: reference))))
        #expect(try scanner.finish().keys == expected)

        try FileManager.default.createDirectory(atPath: restoreDirectory, withIntermediateDirectories: true)
        let restorer = RedisRDBRestorer(settings: .init(
            dataDirectory: restoreDirectory,
            startCommand: RedisInstance.startCommand(port: restorePort, directory: restoreDirectory),
            server: try .init(address: "127.0.0.1:\(restorePort)")), logger: Self.logger)
        var pieces = await sink.pieces(of: 65_536)[...]
        let report = try await restorer.restore { pieces.popFirst() }
        #expect(report.restoredKeys == expected)
        #expect(report.rdb.keysWithExpiry == 40)
        let restored = RedisInstance(port: restorePort, pid: "", directory: restoreDirectory)
        for database in [0, 3] {
            #expect(try await restored.digest(database: database) == (try await source.digest(database: database)), "db\(database)")
        }
    }

    @Test func keysThatExpiredSinceTheBackupAreAllowedFor() async throws {
        let source = try await RedisInstance.start()
        defer { Task { await source.stop() } }
        // Five keys expire in an hour; a scan "two hours later" counts them expired. No waiting.
        let inAnHour = Int64(Date().timeIntervalSince1970 * 1000) + 3_600_000
        try await source.cli(["EVAL", "for i = 1, 30 do redis.call('SET', 'k' .. i, i) end for i = 1, 5 do redis.call('SET', 'soon' .. i, i) redis.call('PEXPIREAT', 'soon' .. i, ARGV[1]) end return 1", "0", String(inAnHour)])
        let sink = MemorySink()
        let summary = try await Self.source(source.address).snapshot(into: sink)
        #expect(summary.recordCount == 35)
        var later = RDBScanner(expiredBefore: inAnHour + 3_600_000)
        var now = RDBScanner(expiredBefore: inAnHour - 3_600_000, expiringBefore: inAnHour + 1)
        for piece in await sink.pieces() {
            try later.consume(piece)
            try now.consume(piece)
        }
        let scanLater = try later.finish()
        #expect(scanLater.keys == 35)
        #expect(scanLater.keysWithExpiry == 5)
        #expect(scanLater.keysExpired == 5)
        let scanNow = try now.finish()
        #expect(scanNow.keysExpired == 0)
        #expect(scanNow.keysExpiringSoon == 5)
    }

    @Test func wrongCredentialsAreAClearErrorWithoutThePassword() async throws {
        let address = ProcessInfo.processInfo.environment["PHOENIX_TEST_REDIS_AUTH"] ?? "127.0.0.1:6391"
        let error = await #expect(throws: RedisSourceError.self) {
            _ = try await Self.source(address, password: "not-the-password-77").snapshot(into: MemorySink())
        }
        #expect(error?.description.contains("refused the credentials") == true, "\(error.map { "\($0)" } ?? "")")
        #expect(error?.description.contains("not-the-password-77") == false)
        let none = await #expect(throws: RedisSourceError.self) { _ = try await Self.source(address).snapshot(into: MemorySink()) }
        #expect(none?.description.contains("NOAUTH") == true, "\(none.map { "\($0)" } ?? "")")
        let password = ProcessInfo.processInfo.environment["PHOENIX_TEST_REDIS_PASSWORD"] ?? "redis-test-pw"
        let summary = try await Self.source(address, password: password).snapshot(into: MemorySink())
        #expect(summary.recordCount != nil)
    }

    @Test func aServerKilledMidStreamFailsTheBackup() async throws {
        let source = try await RedisInstance.start(extraArguments: "--repl-diskless-sync no --rdbcompression no")
        defer { Task { await source.stop() } }
        try await source.cli(["EVAL", "for i = 1, 200 do redis.call('SET', 'blob' .. i, string.rep('z', 200000)) end return 1", "0"])
        let killed = Atomic<Bool>(false)
        let sink = MemorySink { count in
            guard count > 1 << 20, !killed.exchange(true, ordering: .relaxed) else { return }
            kill(pid_t(source.pid) ?? 0, SIGKILL)
        }
        let error = await #expect(throws: (any Error).self) { _ = try await Self.source(source.address).snapshot(into: sink) }
        #expect("\(error.map { "\($0)" } ?? "")".contains("closed the replication stream early"), "\(error.map { "\($0)" } ?? "")")
    }

    @Test func aServerThatEndsTheStreamEarlyOrRefusesSyncIsAClearError() async throws {
        // A fake master: accepts the handshake (INFO and REPLCONF get +OK), then announces 1,000 bytes and sends 100.
        for (reply, reason) in [("$1000\r\nREDIS0010", "closed the replication stream early"),
                                ("-ERR SYNC is not allowed here", "refused SYNC: ERR SYNC is not allowed here"),
                                ("$EOF:tooshort", "malformed EOF mark")] {
            let port = LoopbackPort.free()
            let script = """
                import socket
                s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", \(port))); s.listen(1)
                print("ready", flush=True)
                c, _ = s.accept(); buffer = b""; replied = 0
                while True:
                    chunk = c.recv(4096)
                    if not chunk: break
                    buffer += chunk
                    while replied < buffer.count(b"REPLCONF") + buffer.count(b"INFO"):
                        c.sendall(b"+OK\\r\\n"); replied += 1
                    if b"SYNC" in buffer:
                        c.sendall(b"\\n\\n" + bytes(\(Array(reply.utf8))) + b"\\r\\n"); break
                c.close()
                """
            let fake = try SpawnedProcess("python3", ["-c", script], stdout: .pipe)
            let output = try #require(fake.standardOutput)
            _ = try await offPool { output.read() }  // "ready"
            let error = await #expect(throws: RedisSourceError.self) {
                _ = try await Self.source("127.0.0.1:\(port)").snapshot(into: MemorySink())
            }
            #expect(error?.description.contains(reason) == true, "\(error.map { "\($0)" } ?? "")")
            fake.terminate()
        }
    }

    @Test func aDamagedRDBFailsTheCheckerAtTheChecksumOrStructure() async throws {
        let source = try await RedisInstance.start()
        defer { Task { await source.stop() } }
        try await Self.fill(source)
        let sink = MemorySink()
        let summary = try await Self.source(source.address).snapshot(into: sink)
        var bytes = await sink.bytes
        // The backup's read-back rehashes what was walked while streaming: the same bytes give
        // the walk's count and digest, a changed byte neither.
        let readBack = try Self.source(source.address).makeReadBackChecker(for: summary)
        try readBack.consume(bytes)
        let readBackResult = try await readBack.finish()
        #expect(readBackResult == (summary.recordCount, summary.contentDigest))
        var changed = bytes
        changed[changed.count / 3] ^= 0x04
        let changedReadBack = try Self.source(source.address).makeReadBackChecker(for: summary)
        try changedReadBack.consume(changed)
        let reread = try await changedReadBack.finish()
        #expect(reread.recordCount == nil && reread.contentDigest != summary.contentDigest)
        let checker = RDBChecker()
        for piece in await sink.pieces() { try checker.consume(piece) }
        #expect(try checker.finish().recordCount == (try await Self.keyCount(source)))

        bytes[bytes.count / 2] ^= 0x01
        let damaged = RDBChecker()
        #expect(throws: RDBError.self) {
            try damaged.consume(bytes)
            _ = try damaged.finish()
        }
        let truncated = RDBChecker()
        try? truncated.consume(Array(bytes.prefix(bytes.count - 5)))
        #expect(throws: RDBError.self) { _ = try truncated.finish() }
    }
}

@Suite struct RDBScannerEdgeTests {
    static let empty: [UInt8] = {
        // REDIS0011, EOF, then the CRC-64 of those 10 bytes.
        var bytes = Array("REDIS0011".utf8) + [0xFF]
        var crc = CRC64Jones()
        crc.update(bytes)
        bytes += (0..<8).map { UInt8(truncatingIfNeeded: crc.value >> (8 * $0)) }
        return bytes
    }()

    @Test func anEmptyRDBHasNoKeys() throws {
        var scanner = RDBScanner()
        try scanner.consume(Self.empty)
        #expect(try scanner.finish().keys == 0)
        #expect(try scanner.finish().checksumVerified)
    }

    @Test func bytesAfterTheChecksumAndUnsupportedVersionsAreRefused() {
        var trailing = RDBScanner()
        try? trailing.consume(Self.empty + [0x00])
        #expect(throws: RDBError.self) { _ = try trailing.finish() }
        for version in ["0004", "0012"] {
            var scanner = RDBScanner()
            #expect(throws: RDBError.self, "\(version)") { try scanner.consume(Array("REDIS\(version)".utf8) + [0xFF]) }
        }
    }
}

/// A start command that leaves a process running with our output as its own must not hang the
/// restore (it did with pipes: the daemon held them open).
@Suite(.timeLimit(.minutes(1))) struct RedisStartCommandTests {
    @Test func aStartCommandLeavingADaemonBehindDoesNotHangTheRestore() async throws {
        let directory = NSTemporaryDirectory() + "phx-redis-start-" + UUID().uuidString.lowercased()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let restorer = RedisRDBRestorer(settings: .init(dataDirectory: directory, startCommand: "sleep 30 & echo started; echo to-stderr >&2"),
                                        logger: RedisSourceTests.logger)
        var pieces = [RDBScannerEdgeTests.empty][...]
        let report = try await restorer.restore { pieces.popFirst() }
        #expect(report.rdb.keys == 0)
        #expect(FileManager.default.fileExists(atPath: directory + "/dump.rdb"))
        let failing = RedisRDBRestorer(settings: .init(dataDirectory: directory, startCommand: "echo cannot start >&2; exit 3"),
                                       logger: RedisSourceTests.logger)
        var again = [RDBScannerEdgeTests.empty][...]
        let error = await #expect(throws: RedisSourceError.self) { _ = try await failing.restore { again.popFirst() } }
        #expect(error?.description.contains("exited with status 3: cannot start") == true, "\(error.map { "\($0)" } ?? "")")
    }
}

@Suite struct CRC64JonesTests {
    @Test func redisTestVector() {
        var crc = CRC64Jones()
        crc.update(Array("123456789".utf8))
        #expect(crc.value == 0xE9C6_D914_C4B8_D9CA)
    }

    @Test func anyPieceSizesGiveTheSameChecksumAsOneBytePieces() {
        let bytes = (0..<10_007).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ $0 >> 5) }
        var whole = CRC64Jones()
        whole.update(bytes)
        for size in [1, 3, 7, 8, 9, 64, 1000] {
            var pieces = CRC64Jones()
            var start = 0
            while start < bytes.count {
                pieces.update(bytes[start..<min(bytes.count, start + size)])
                start += size
            }
            #expect(pieces.value == whole.value, "pieces of \(size)")
        }
        var bytewise = CRC64Jones()
        for byte in bytes { bytewise.update([byte]) }
        #expect(bytewise.value == whole.value)
    }
}
