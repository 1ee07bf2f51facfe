import Testing

@testable import PhoenixSources

/// The push parser on well-formed input: piece sizes, foreign extensions, memory.
struct TarReaderTests {
    private func sampleArchive() async throws -> [UInt8] {
        try await TarTestSupport.makeArchive([
            (TarEntry(kind: .directory, path: "dir", mode: 0o750, modificationTime: 7), []),
            (TarEntry(kind: .file, path: "dir/" + String(repeating: "ä", count: 200), size: 1500, mode: 0o600), [UInt8](repeating: 9, count: 1500)),
            (TarEntry(kind: .symlink, path: "link", linkTarget: String(repeating: "t/", count: 80)), []),
            (TarEntry(kind: .file, path: "empty"), []),
        ])
    }

    @Test func anyPieceSizeGivesTheSameEntriesAndContent() async throws {
        let bytes = try await sampleArchive()
        let whole = try TarTestSupport.events(bytes, pieceSize: bytes.count)
        for pieceSize in [1, 7, 511, 512, 513, 4096] {
            let pieces = try TarTestSupport.events(bytes, pieceSize: pieceSize)
            #expect(pieces.map(\.0) == whole.map(\.0), "piece size \(pieceSize)")
            #expect(pieces.map(\.1) == whole.map(\.1), "piece size \(pieceSize)")
        }
        #expect(whole.map(\.0.path) == ["dir", "dir/" + String(repeating: "ä", count: 200), "link", "empty"])
        #expect(whole[0].0.mode == 0o750 && whole[0].0.modificationTime == 7)
        #expect(whole[1].1 == [UInt8](repeating: 9, count: 1500))
        #expect(whole[2].0.linkTarget == String(repeating: "t/", count: 80))
    }

    @Test func everyEntryEndsWithEntryEndAndTheArchiveWithEnd() async throws {
        let bytes = try await TarTestSupport.makeArchive([(TarEntry(kind: .file, path: "a", size: 2), [1, 2]), (TarEntry(kind: .directory, path: "d"), [])])
        var reader = TarReader()
        reader.append(bytes)
        var events: [TarReader.Event] = []
        while let event = try reader.next() { events.append(event) }
        try reader.finish()
        #expect(events.count == 6)
        #expect(events[1] == .content([1, 2][...]))
        #expect(events[2] == .entryEnd && events[4] == .entryEnd && events[5] == .end)
    }

    @Test func gnuLongNamesAndLinksAreApplied() throws {
        let name = String(repeating: "n", count: 300)
        let target = String(repeating: "t", count: 200)
        let bytes = RawTar.member("././@LongLink", type: "L", content: Array(name.utf8) + [0])
            + RawTar.member("././@LongLink", type: "K", content: Array(target.utf8) + [0])
            + RawTar.member(String(name.prefix(100)), type: "2", linkName: String(target.prefix(100)))
            + RawTar.end
        let entries = try TarTestSupport.events(bytes)
        #expect(entries.map(\.0.path) == [name])
        #expect(entries[0].0.kind == .symlink && entries[0].0.linkTarget == target)
    }

    @Test func oldStyleDirectoriesAndGlobalHeadersAreAccepted() throws {
        let bytes = RawTar.member("././@PaxHeader", type: "g", content: PAXRecords.encode([("comment", "x")]))
            + RawTar.member("olddir/") + RawTar.member("olddir/f", type: "7", content: [1]) + RawTar.end
        let entries = try TarTestSupport.events(bytes)
        #expect(entries.map(\.0.kind) == [.directory, .file])
        #expect(entries.map(\.0.path) == ["olddir", "olddir/f"])
    }

    @Test func sizesFrom8GiBRoundTripThroughPAX() async throws {
        let size: Int64 = 9 * 1024 * 1024 * 1024
        let header = try UstarHeader.blocks(for: TarEntry(kind: .file, path: "huge.img", size: size))
        var reader = TarReader()
        reader.append(header + [1, 2, 3])
        #expect(try reader.next() == .entry(TarEntry(kind: .file, path: "huge.img", size: size)))
        #expect(try reader.next() == .content([1, 2, 3][...]))
        #expect(throws: DirectorySourceError.truncated(offset: Int64(header.count + 3), point: .content)) { try reader.finish() }
    }

    @Test func theBufferHoldsNoMoreThanOnePieceAndAPartialBlock() async throws {
        let content = [UInt8](repeating: 1, count: 5 * 1024 * 1024 + 100)
        let bytes = try await TarTestSupport.makeArchive([(TarEntry(kind: .file, path: "f", size: Int64(content.count)), content)])
        var reader = TarReader()
        var largest = 0
        for start in stride(from: 0, to: bytes.count, by: 300_001) {
            reader.append(bytes[start..<min(start + 300_001, bytes.count)])
            largest = max(largest, reader.buffer.count)
            while try reader.next() != nil {}
        }
        try reader.finish()
        #expect(largest < 300_001 + 512)
    }

    @Test func zeroPaddingAfterTheEndIsAccepted() async throws {
        let bytes = try await TarTestSupport.makeArchive([]) + [UInt8](repeating: 0, count: 9216)
        #expect(try TarTestSupport.events(bytes).isEmpty)
    }
}
