import Foundation
import Logging
import PhoenixDomain
@testable import PhoenixSources
import PhoenixTesting
import Synchronization
import Testing

/// Logical backups (SCAN + DUMP + PTTL) from real Redis servers, replayed with RESTORE into another.
@Suite struct RedisLogicalTests {
    static func source(_ address: String, username: String? = nil, password: String? = nil,
                       mode: DatasetSpec.RedisMode = .logical) throws -> RedisSource {
        RedisSource(settings: try .init(address: address, username: username, password: password, mode: mode), now: { Date() },
                    logger: RedisSourceTests.logger)
    }

    static func restore(_ sink: MemorySink, into address: String, now: @escaping @Sendable () -> Date = { Date() },
                        pieceSize: Int = 65_536) async throws -> RedisLogicalRestorer.Report {
        var pieces = await sink.pieces(of: pieceSize)[...]
        let restorer = RedisLogicalRestorer(settings: .init(server: try .init(address: address), batchKeys: 100), now: now,
                                            logger: RedisSourceTests.logger)
        return try await restorer.restore { pieces.popFirst() }
    }

    @Test func aLogicalBackupRestoresKeysValuesTypesAndTTLsIdentically() async throws {
        try await TestServers.with { servers in
            let source = try await servers.redis()
            let target = try await servers.redis()
            try await RedisSourceTests.fill(source)
            let expected = try await RedisSourceTests.keyCount(source)
            let sink = MemorySink()
            let summary = try await Self.source(source.address).snapshot(into: sink)
            #expect(summary.recordCount == expected)
            #expect(summary.sourceVersion?.hasPrefix("Redis 7.") == true && summary.sourceVersion?.hasSuffix("logical") == true,
                    "\(summary.sourceVersion ?? "")")

            // A verify's check reads the artifact back to the same count and digest.
            let checker = try Self.source(source.address).makeChecker()
            for piece in await sink.pieces(of: 4096) { try checker.consume(piece) }
            let checked = try await checker.finish()
            #expect(checked.recordCount == expected)
            #expect(checked.contentDigest == summary.contentDigest)

            let report = try await Self.restore(sink, into: target.address, pieceSize: 1000)
            #expect(report.restoredKeys == expected)
            #expect(report.expiredKeys == 0)
            #expect(report.serverKeys == expected)
            for database in [0, 3] {
                #expect(try await target.digest(database: database) == (try await source.digest(database: database)), "db\(database)")
            }
            // The TTL that remains is replayed, not reset: set to a day at the backup, a little under it now.
            let ttl = try #require(Int64(try await target.cli(["PTTL", "ttl:7"])))
            #expect(ttl > 86_000_000 && ttl <= 86_400_000, "\(ttl)")
            #expect(try await target.cli(["PTTL", "str:7"]) == "-1")
            #expect(try await target.cli(["OBJECT", "ENCODING", "stream"]) == "stream")
        }
    }

    @Test func keysWhoseTTLRanOutSinceTheBackupAreSkippedAndCounted() async throws {
        try await TestServers.with { servers in
            let source = try await servers.redis()
            let target = try await servers.redis()
            try await source.cli(["EVAL", "for i = 1, 30 do redis.call('SET', 'k' .. i, i) end for i = 1, 5 do redis.call('SET', 'soon' .. i, i, 'EX', 600) end return 1", "0"])
            let sink = MemorySink()
            let summary = try await Self.source(source.address).snapshot(into: sink)
            #expect(summary.recordCount == 35)
            // Restored "an hour later": the five ten-minute keys are gone. No waiting.
            let report = try await Self.restore(sink, into: target.address, now: { Date().addingTimeInterval(3600) })
            #expect(report.expiredKeys == 5)
            #expect(report.restoredKeys == 30)
            #expect(report.serverKeys == 30)
            #expect(try await target.cli(["EXISTS", "soon1"]) == "0")
        }
    }

    @Test func aServerThatRefusesSyncIsBackedUpLogically() async throws {
        try await TestServers.with { servers in
            let source = try await servers.redis()
            let target = try await servers.redis()
            // A backup user as a managed service gives it: every command but the replication ones.
            try await source.cli(["ACL", "SETUSER", "backup", "on", ">backup-pw-31", "~*", "+@all", "-sync", "-psync"])
            try await source.cli(["EVAL", "for i = 1, 2500 do redis.call('HSET', 'h' .. i, 'f', i) end return 1", "0"])
            let rdb = await #expect(throws: RedisSourceError.self) {
                _ = try await Self.source(source.address, username: "backup", password: "backup-pw-31", mode: .rdb).snapshot(into: MemorySink())
            }
            #expect(rdb?.description.contains("refused SYNC") == true, "\(rdb.map { "\($0)" } ?? "")")
            let sink = MemorySink()
            let summary = try await Self.source(source.address, username: "backup", password: "backup-pw-31").snapshot(into: sink)
            #expect(summary.recordCount == 2500)
            let report = try await Self.restore(sink, into: target.address)
            #expect(report.serverKeys == 2500)
            #expect(try await target.digest(database: 0) == (try await source.digest(database: 0)))
        }
    }

    @Test func wrongCredentialsAreAClearErrorWithoutThePassword() async throws {
        let address = ProcessInfo.processInfo.environment["PHOENIX_TEST_REDIS_AUTH"] ?? "127.0.0.1:6391"
        let wrong = await #expect(throws: RedisSourceError.self) {
            _ = try await Self.source(address, password: "not-the-password-78").snapshot(into: MemorySink())
        }
        #expect(wrong?.description.contains("refused the credentials") == true, "\(wrong.map { "\($0)" } ?? "")")
        #expect(wrong?.description.contains("not-the-password-78") == false)
        let none = await #expect(throws: RedisSourceError.self) { _ = try await Self.source(address).snapshot(into: MemorySink()) }
        #expect(none?.description.contains("refused the credentials: NOAUTH") == true, "\(none.map { "\($0)" } ?? "")")
        let restore = await #expect(throws: RedisSourceError.self) {
            let restorer = RedisLogicalRestorer(settings: .init(server: try .init(address: address, password: "not-the-password-78")),
                                                logger: RedisSourceTests.logger)
            _ = try await restorer.restore { nil }
        }
        #expect(restore?.description.contains("refused the credentials") == true, "\(restore.map { "\($0)" } ?? "")")
        #expect(restore?.description.contains("not-the-password-78") == false)
    }

    @Test func aServerStoppedMidScanFailsTheBackup() async throws {
        try await TestServers.with { servers in
            let source = try await servers.redis()
            try await source.cli(["EVAL", "for i = 1, 20000 do redis.call('SET', 'k' .. i, string.rep('v', 100)) end return 1", "0"])
            let killed = Atomic<Bool>(false)
            // Killed once the first batch is written: the next SCAN finds the server gone.
            let sink = MemorySink { count in
                guard count > 10_000, !killed.exchange(true, ordering: .relaxed) else { return }
                kill(pid_t(source.pid) ?? 0, SIGKILL)
            }
            let error = await #expect(throws: RedisSourceError.self) { _ = try await Self.source(source.address).snapshot(into: sink) }
            let didKill = killed.load(ordering: .relaxed)
            #expect(didKill)
            let text = error.map { "\($0)" } ?? ""
            #expect(text.contains("connection was lost") && text.contains(source.address), "\(text)")
        }
    }

    @Test func aDamagedOrTruncatedArtifactIsRefusedAndAPartialRestoreIsNoSuccess() async throws {
        try await TestServers.with { servers in
            let source = try await servers.redis()
            let target = try await servers.redis()
            try await source.cli(["EVAL", "for i = 1, 500 do redis.call('SET', 'k' .. i, i) end return 1", "0"])
            let sink = MemorySink()
            _ = try await Self.source(source.address).snapshot(into: sink)
            let bytes = await sink.bytes

            // Cut before the summary: the keys before the cut were written, and the error says so.
            let truncated = MemorySink()
            try await truncated.write(Array(bytes.prefix(bytes.count - 40)))
            let cut = await #expect(throws: RedisSourceError.self) { _ = try await Self.restore(truncated, into: target.address) }
            #expect(cut.map { "\($0)" }?.contains("truncated logical backup") == true, "\(cut.map { "\($0)" } ?? "")")
            #expect(cut.map { "\($0)" }?.contains("the target is partly restored") == true, "\(cut.map { "\($0)" } ?? "")")

            // Any byte changed before the summary, wherever it falls (key, expiry, payload, framing):
            // the checker refuses the stream.
            let summaryStart = try #require(bytes.lastIndex(of: RedisLogicalFormat.FrameType.summary.rawValue))
            for position in stride(from: RedisLogicalFormat.magic.count, to: summaryStart, by: 97) {
                var flipped = bytes
                flipped[position] ^= 0x20
                let checker = RedisArtifactChecker()
                await #expect(throws: (any Error).self, "byte \(position)") {
                    try checker.consume(flipped)
                    _ = try await checker.finish()
                }
            }
        }
    }
}
