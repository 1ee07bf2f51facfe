import Testing

@testable import PhoenixSources

/// The writer's blocks, PAX records and chunking, checked byte by byte.
struct TarWriterTests {
    private func field(_ block: ArraySlice<UInt8>, _ range: Range<Int>) -> String {
        String(decoding: block[(block.startIndex + range.lowerBound)..<(block.startIndex + range.upperBound)].prefix { $0 != 0 }, as: UTF8.self)
    }

    @Test func aSmallFileIsOneUstarHeaderPaddedContentAndTwoZeroBlocks() async throws {
        let entry = TarEntry(kind: .file, path: "dir/hello.txt", size: 5, mode: 0o640, modificationTime: 1_700_000_000, userID: 1000, groupID: 100)
        let bytes = try await TarTestSupport.makeArchive([(entry, Array("hello".utf8))])

        #expect(bytes.count == 512 + 512 + 1024)
        let header = bytes[0..<512]
        #expect(field(header, 0..<100) == "dir/hello.txt")
        #expect(field(header, 100..<108) == "0000640")
        #expect(field(header, 108..<116) == "0001750")
        #expect(field(header, 124..<136) == "00000000005")
        #expect(field(header, 136..<148) == "14524770400")
        #expect(header[156] == UInt8(ascii: "0"))
        #expect(Array(header[257..<265]) == Array("ustar\u{0}00".utf8))
        let sum = UstarHeader.checksum(of: header).unsigned
        #expect(field(header, 148..<154) == String(sum, radix: 8).leftPadded(to: 6))
        #expect(Array(bytes[512..<517]) == Array("hello".utf8))
        #expect(bytes[517...].allSatisfy { $0 == 0 })
    }

    @Test func longNonASCIIAndHugeValuesGoToPAXRecords() throws {
        let long = String(repeating: "d/", count: 150) + "file"
        let entry = TarEntry(kind: .file, path: long, size: 9 * 1024 * 1024 * 1024, modificationTime: -5, userID: 3_000_000, userName: "ünïcødé")
        let blocks = try UstarHeader.blocks(for: entry)

        #expect(blocks[156] == UInt8(ascii: "x"))
        let records = try PAXRecords.parse(blocks[512..<1024].prefix { $0 != 0 }, offset: 512)
        #expect(records["path"] == Array(long.utf8))
        #expect(records["size"] == Array("9663676416".utf8))
        #expect(records["mtime"] == Array("-5".utf8))
        #expect(records["uid"] == Array("3000000".utf8))
        #expect(records["uname"] == Array("ünïcødé".utf8))
        #expect(blocks.count == 1536)
    }

    @Test func pathsUpTo255BytesUseTheUstarPrefixInstead() throws {
        let path = String(repeating: "p", count: 150) + "/" + String(repeating: "n", count: 99)
        let blocks = try UstarHeader.blocks(for: TarEntry(kind: .file, path: path))
        #expect(blocks.count == 512)
        #expect(field(blocks[...], 345..<500) == String(repeating: "p", count: 150))
        #expect(field(blocks[...], 0..<100) == String(repeating: "n", count: 99))
    }

    @Test func paxRecordLengthsCountTheirOwnDigits() throws {
        let encoded = PAXRecords.encode([("path", String(repeating: "x", count: 93))])
        #expect(encoded.count == 103)
        #expect(String(decoding: encoded.prefix(4), as: UTF8.self) == "103 ")
        #expect(try PAXRecords.parse(encoded[...], offset: 0)["path"]?.count == 93)
    }

    @Test func chunksHaveExactlyTheChunkSizeAndTheBufferStaysBounded() async throws {
        let recorder = ChunkRecorder(keepsBytes: false)
        var writer = TarWriter(chunkSize: 64 * 1024, sink: recorder.sink)
        let piece = [UInt8](repeating: 7, count: 1024 * 1024)
        try await writer.writeHeader(TarEntry(kind: .file, path: "big", size: 20 * 1024 * 1024))
        for _ in 0..<20 { try await writer.writeContent(piece[...]) }
        try await writer.finish()

        let sizes = recorder.chunkSizes
        let total: Int = sizes.reduce(0, +)
        let expected: Int = 512 + 20 * 1024 * 1024 + 1024
        #expect(sizes.dropLast().allSatisfy { $0 == 64 * 1024 })
        #expect(total == expected)
        #expect(writer.bytesWritten == Int64(total))
        #expect(writer.peakBufferedBytes <= 64 * 1024)
    }

    @Test func contentBeyondTheDeclaredSizeIsRefused() async throws {
        var writer = TarWriter(sink: ChunkRecorder().sink)
        try await writer.writeHeader(TarEntry(kind: .file, path: "f", size: 3))
        await #expect(throws: DirectorySourceError.invalidEntry(path: "f", reason: "content longer than the declared size")) {
            try await writer.writeContent(Array("four".utf8)[...])
        }
    }

    @Test func aShortFileIsZeroFilledToItsDeclaredSize() async throws {
        let recorder = ChunkRecorder()
        var writer = TarWriter(sink: recorder.sink)
        try await writer.writeHeader(TarEntry(kind: .file, path: "f", size: 600))
        try await writer.writeContent(Array(repeating: 1, count: 100)[...])
        #expect(try await writer.finishEntry() == 500)
        try await writer.finish()
        #expect(recorder.bytes.count == 512 + 1024 + 1024)
    }

    @Test func aNameWithNULCannotBeEncoded() {
        #expect(throws: DirectorySourceError.invalidEntry(path: "a\u{0}b", reason: "empty path or NUL byte in a name")) {
            _ = try UstarHeader.blocks(for: TarEntry(kind: .file, path: "a\u{0}b"))
        }
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
