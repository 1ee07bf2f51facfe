import PhoenixCrypto
@testable import PhoenixSources
import Testing

/// The framed stream of a logical backup, read back from bytes built here: every damage is a
/// clear error, never a silently shorter key list.
@Suite struct RedisLogicalFormatTests {
    static let entries = (0..<50).map { index in
        RedisLogicalEntry(database: index % 3, key: Array("key:\(index)".utf8), expiresAt: index % 4 == 0 ? 1_900_000_000_000 : 0,
                          payload: [0x00, 0x03] + Array("v\(index)".utf8) + [0x0A, 0x00] + [UInt8](repeating: 7, count: 8))
    }

    static func stream(_ entries: [RedisLogicalEntry] = entries, keys: Int64? = nil, digest: String? = nil) throws -> [UInt8] {
        var frames: [UInt8] = []
        var sum = RedisContentDigest()
        for entry in entries {
            try RedisLogicalFormat.appendKeyFrame(entry, to: &frames)
            sum.add(entry)
        }
        let bytes = RedisLogicalFormat.magic + frames
        let summary = RedisLogicalSummary(keys: keys ?? Int64(entries.count), digest: digest ?? sum.hex,
                                          framesSHA256: Hex.encode(SHA256.digest(frames)), vanished: 0, repeats: 0,
                                          redisVersion: "7.0.15", startedAt: 1, finishedAt: 2)
        return bytes + (try RedisLogicalFormat.summaryFrame(summary))
    }

    static func read(_ bytes: [UInt8], pieceSize: Int = 7) throws -> ([RedisLogicalEntry], RedisLogicalSummary) {
        var reader = RedisLogicalReader()
        var out: [RedisLogicalEntry] = []
        for start in stride(from: 0, to: bytes.count, by: pieceSize) {
            out += try reader.consume(Array(bytes[start..<min(bytes.count, start + pieceSize)]))
        }
        return (out, try reader.finish())
    }

    static func failure(_ bytes: [UInt8]) -> String {
        do {
            _ = try read(bytes, pieceSize: 1000)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test func anyPieceSizesReadBackTheSameKeys() throws {
        let bytes = try Self.stream()
        for size in [1, 5, 64, bytes.count] {
            let (entries, summary) = try Self.read(bytes, pieceSize: size)
            #expect(entries == Self.entries, "pieces of \(size)")
            #expect(summary.keys == 50)
        }
    }

    @Test func theDigestDoesNotDependOnTheKeyOrderButOnEveryKey() throws {
        var forward = RedisContentDigest()
        var backward = RedisContentDigest()
        for entry in Self.entries { forward.add(entry) }
        for entry in Self.entries.reversed() { backward.add(entry) }
        #expect(forward == backward)
        var twice = forward
        twice.add(Self.entries[0])
        #expect(twice != forward, "a key counted twice changes the sum (an XOR would cancel it)")
        var other = RedisContentDigest()
        for entry in Self.entries.dropFirst() { other.add(entry) }
        #expect(other != forward)
    }

    @Test func damagedStreamsAreRefusedWithWhatIsWrong() throws {
        let bytes = try Self.stream()
        #expect(Self.failure([]).contains("no header"))
        #expect(Self.failure(Array("REDIS0010".utf8)).contains("bad magic"))
        #expect(Self.failure(Array(bytes.dropLast(3))).contains("a frame is cut off"))
        let summaryStart = bytes.lastIndex(of: RedisLogicalFormat.FrameType.summary.rawValue)!
        #expect(Self.failure(Array(bytes[..<summaryStart])).contains("summary frame is missing after 50 keys"))
        #expect(Self.failure(bytes + [0x4B, 0, 0, 0, 0]).contains("bytes after the summary"))
        var unknown = bytes
        unknown[RedisLogicalFormat.magic.count] = 0x51
        #expect(Self.failure(unknown).contains("unknown frame type 0x51"))
        var oversized = RedisLogicalFormat.magic + [0x4B, 0x7F, 0xFF, 0xFF, 0xFF]
        oversized += [UInt8](repeating: 0, count: 16)
        #expect(Self.failure(oversized).contains("larger than the 512 MiB allowed"))
        var badKeyLength = bytes
        badKeyLength[RedisLogicalFormat.magic.count + 7] = 0xFF  // the key length's high byte
        #expect(Self.failure(badKeyLength).contains("key length"))
        #expect(Self.failure(try Self.stream(keys: 51)).contains("holds 50 keys but its summary records 51"))
        #expect(Self.failure(try Self.stream(digest: String(repeating: "0", count: 64))).contains("digest differs"))
        var flipped = bytes
        flipped[RedisLogicalFormat.magic.count + 25] ^= 0x01  // in the first payload
        #expect(Self.failure(flipped).contains("digest differs"))
        var expiry = bytes
        expiry[RedisLogicalFormat.magic.count + 20] ^= 0x01  // in the first expiry, which the digest leaves out
        #expect(Self.failure(expiry).contains("SHA-256 differs"))
    }
}

/// Redis Cluster's key → slot mapping, against the vectors of the cluster specification.
@Suite struct RedisClusterSlotTests {
    @Test func crc16IsXModemAsTheSpecificationGivesIt() {
        #expect(RedisClusterSlot.crc16(Array("123456789".utf8)) == 0x31C3)
    }

    @Test func hashTagsFollowTheSpecificationsRules() {
        func tag(_ key: String) -> String { String(decoding: RedisClusterSlot.hashTag(of: Array(key.utf8)), as: UTF8.self) }
        #expect(tag("{user1000}.following") == "user1000")
        #expect(tag("foo{}{bar}") == "foo{}{bar}")
        #expect(tag("foo{{bar}}zap") == "{bar")
        #expect(tag("foo{bar}{zap}") == "bar")
        #expect(tag("{unclosed") == "{unclosed")
        #expect(RedisClusterSlot.of(Array("{user1000}.following".utf8)) == RedisClusterSlot.of(Array("{user1000}.followers".utf8)))
        #expect(RedisClusterSlot.of(Array("foo".utf8)) == 12_182)  // CLUSTER KEYSLOT foo
        #expect(RedisClusterSlot.of(Array("bar".utf8)) == 5_061)
    }
}
