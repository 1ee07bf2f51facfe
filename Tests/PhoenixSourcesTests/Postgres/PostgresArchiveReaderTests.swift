@testable import PhoenixSources
import Testing

/// The framing of a postgres archive, read back from every kind of damaged stream.
@Suite struct PostgresArchiveReaderTests {
    static let dump = Array("PGDMP".utf8) + [UInt8](repeating: 7, count: 3000)
    static let facts = Array(#"{"database":"d"}"#.utf8)

    static func archive(globals: [UInt8] = Array("CREATE ROLE x;".utf8), dump: [UInt8] = dump, facts: [UInt8]? = facts) -> [UInt8] {
        var bytes = PostgresArchiveFormat.magic
        if !globals.isEmpty { bytes += PostgresArchiveFormat.frames(.globals, globals) }
        bytes += PostgresArchiveFormat.frames(.dump, dump)
        if let facts { bytes += PostgresArchiveFormat.frames(.facts, facts) }
        return bytes
    }

    static func read(_ bytes: [UInt8], pieceSize: Int = 7) throws -> (PostgresArchiveReader, [UInt8]) {
        var reader = PostgresArchiveReader()
        var dump: [UInt8] = []
        var start = 0
        while start < bytes.count {
            dump += try reader.consume(Array(bytes[start..<min(bytes.count, start + pieceSize)]))
            start += pieceSize
        }
        try reader.finish()
        return (reader, dump)
    }

    @Test(arguments: [1, 5, 7, 4096, 1 << 20])
    func anArchiveReadsBackInAnyPieceSize(pieceSize: Int) throws {
        let (reader, dump) = try Self.read(Self.archive(), pieceSize: pieceSize)
        #expect(dump == Self.dump)
        #expect(reader.globals == Array("CREATE ROLE x;".utf8))
        #expect(reader.factsJSON == Self.facts)
        #expect(reader.dumpByteCount == Int64(Self.dump.count))
    }

    @Test func aDumpLargerThanAFrameIsSplitAndJoined() throws {
        let big = Array("PGDMP".utf8) + (0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 13) }
        let (_, dump) = try Self.read(Self.archive(dump: big), pieceSize: 100_000)
        #expect(dump == big)
    }

    @Test func damagedStreamsAreRefusedWithTheirReason() {
        let good = Self.archive()
        let cases: [(String, [UInt8])] = [
            ("bad magic", Array("NOTPHX!\n".utf8) + good.dropFirst(8)),
            ("no header", []),
            ("the final facts frame is missing", Self.archive(facts: nil)),
            ("a frame is cut off", Array(good.dropLast(3))),
            ("unknown frame type", Self.archive(facts: nil) + [0x5A, 0, 0, 0, 1, 0]),
            ("PGDMP signature", Self.archive(dump: Array("NOTADUMP".utf8))),
            ("too long", PostgresArchiveFormat.magic + [0x44, 0x7F, 0xFF, 0xFF, 0xFF]),
            ("bytes after the final facts frame", good + PostgresArchiveFormat.frames(.dump, [1])),
            ("holds no dump", PostgresArchiveFormat.magic + PostgresArchiveFormat.frames(.facts, Self.facts)),
            ("globals after the dump", PostgresArchiveFormat.magic + PostgresArchiveFormat.frames(.dump, Self.dump)
                + PostgresArchiveFormat.frames(.globals, [1])),
        ]
        for (reason, bytes) in cases {
            #expect(throws: PostgresArchiveError.self, "\(reason)") { _ = try Self.read(bytes) }
            do {
                _ = try Self.read(bytes)
            } catch {
                #expect("\(error)".contains(reason), "\(reason): \(error)")
            }
        }
    }

    @Test func aSignatureSplitOverTheFirstFramesIsAccepted() throws {
        var bytes = PostgresArchiveFormat.magic
        bytes += PostgresArchiveFormat.frames(.dump, Array("PG".utf8))
        bytes += PostgresArchiveFormat.frames(.dump, Array("DMP-rest".utf8))
        bytes += PostgresArchiveFormat.frames(.facts, Self.facts)
        let (_, dump) = try Self.read(bytes)
        #expect(dump == Array("PGDMP-rest".utf8))
    }
}

@Suite struct PostgresConnectionURLTests {
    @Test func thePasswordLeavesTheURLForTheEnvironment() {
        let inUserInfo = PostgresConnectionURL("postgresql://app:s3cret@db:5432/agents?sslmode=require")
        #expect(inUserInfo.password == "s3cret")
        #expect(inUserInfo.withoutPassword == "postgresql://app@db:5432/agents?sslmode=require")
        let inQuery = PostgresConnectionURL("postgresql://app@db/agents?password=p%40ss&sslmode=require")
        #expect(inQuery.password == "p@ss")
        #expect(inQuery.withoutPassword == "postgresql://app@db/agents?sslmode=require")
        #expect(inQuery.environment == ["PGPASSWORD": "p@ss"])
        #expect(PostgresConnectionURL("postgresql://db/agents?password=x").withoutPassword == "postgresql://db/agents")
    }
}
