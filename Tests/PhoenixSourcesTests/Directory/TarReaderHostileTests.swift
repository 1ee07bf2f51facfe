import Testing

@testable import PhoenixSources

/// Hostile and broken archives get typed errors that say where, never a crash or a hang.
struct TarReaderHostileTests {
    private func twoFiles() async throws -> [UInt8] {
        try await TarTestSupport.makeArchive([
            (TarEntry(kind: .file, path: "a", size: 1000), [UInt8](repeating: 1, count: 1000)),
            (TarEntry(kind: .file, path: "b", size: 10), [UInt8](repeating: 2, count: 10)),
        ])
    }

    private func expectError(_ error: DirectorySourceError, _ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        for pieceSize in [1, 512, bytes.count + 1] {
            #expect(throws: error, "piece size \(pieceSize)", sourceLocation: sourceLocation) {
                _ = try TarTestSupport.verify(bytes, pieceSize: pieceSize)
            }
        }
    }

    @Test func aBadChecksumNamesTheHeaderOffset() async throws {
        var bytes = try await twoFiles()
        bytes[1536 + 10] ^= 0x20  // inside the name of "b", whose header starts at 1536
        expectError(.badChecksum(offset: 1536), bytes)
    }

    @Test func truncationIsReportedWithWhereItStopped() async throws {
        let bytes = try await twoFiles()
        let cases: [(Int, DirectorySourceError.TruncationPoint)] = [
            (0, .endOfArchive), (100, .header), (512 + 300, .content), (1536 + 511, .header),
            (1536 + 512 + 5, .content), (1536 + 700, .content), (bytes.count - 1024, .endOfArchive),
            (bytes.count - 512, .endOfArchive), (bytes.count - 1, .endOfArchive),
        ]
        for (cut, point) in cases {
            expectError(.truncated(offset: Int64(cut), point: point), Array(bytes[..<cut]))
        }
    }

    @Test func aTruncatedExtendedHeaderIsTruncatedContent() throws {
        let bytes = RawTar.pax(PAXRecords.encode([("path", String(repeating: "p", count: 700))]))
        expectError(.truncated(offset: 1000, point: .content), Array(bytes[..<1000]))
    }

    @Test func anExtendedHeaderClaiming10GiBIsRefusedBeforeBuffering() {
        let header = RawTar.patched(RawTar.header("././@PaxHeader", type: "x"), at: 124, RawTar.base256(10 * 1024 * 1024 * 1024))
        expectError(.extendedHeaderTooLarge(offset: 0, size: 10 * 1024 * 1024 * 1024), header + [UInt8](repeating: 0x41, count: 4096))
    }

    @Test func garbageInTheSizeFieldIsABadNumericField() {
        let header = RawTar.patched(RawTar.header("f"), at: 124, Array("0000x000012\u{0}".utf8))
        expectError(.badNumericField(field: "size", offset: 0), header + RawTar.end)
    }

    @Test func anAbsurdSizeIsRefused() {
        let header = RawTar.patched(RawTar.header("f"), at: 124, RawTar.base256(1 << 60))
        expectError(.entryTooLarge(path: "f", size: 1 << 60), header + RawTar.end)
    }

    @Test func malformedPAXRecordsAreRefusedWithAReason() {
        let cases: [(String, String)] = [
            ("abc path=x\n", "record length is not a number"),
            ("30 path=x\n", "record length does not match the data"),
            ("10 path=xy", "record does not end with a newline"),
            ("9 =value\n", "record has no key"),
            ("11 pathxyz\n", "record has no key"),
            ("123456789 path=x\n", "record length has too many digits"),
            ("11 size=1x\n", "size is not a decimal number"),
            ("15 mtime=12:30\n", "mtime is not a number"),
        ]
        for (records, reason) in cases {
            let offset: Int64 = reason.hasPrefix("size") || reason.hasPrefix("mtime") ? 1024 : 512
            expectError(.malformedExtendedHeader(offset: offset, reason: reason), RawTar.pax(Array(records.utf8)) + RawTar.member("f") + RawTar.end)
        }
    }

    @Test func anExtendedHeaderFollowedByTheEndIsMalformed() {
        expectError(.malformedExtendedHeader(offset: 1024, reason: "extended header not followed by an entry"),
                    RawTar.pax(PAXRecords.encode([("path", "x")])) + RawTar.end)
    }

    @Test func hardLinksDevicesAndSparseFilesAreRefusedNotSkipped() {
        expectError(.unsupportedEntryType(path: "hl", type: "hard link"), RawTar.member("hl", type: "1", linkName: "a") + RawTar.end)
        expectError(.unsupportedEntryType(path: "tty", type: "character device"), RawTar.member("tty", type: "3") + RawTar.end)
        expectError(.unsupportedEntryType(path: "fifo", type: "FIFO"), RawTar.member("fifo", type: "6") + RawTar.end)
        expectError(.unsupportedEntryType(path: "s", type: "GNU sparse file"),
                    RawTar.pax(PAXRecords.encode([("GNU.sparse.size", "10")])) + RawTar.member("s") + RawTar.end)
    }

    @Test func aLoneZeroBlockAndDataAfterTheEndAreRefused() async throws {
        let valid = try await twoFiles()
        let member = RawTar.member("c")
        expectError(.malformedEndOfArchive(offset: 0), [UInt8](repeating: 0, count: 512) + member + RawTar.end)
        expectError(.dataAfterEnd(offset: Int64(valid.count + 3)), valid + [0, 0, 0, 7] + [UInt8](repeating: 0, count: 100))
    }

    @Test func blocksWithoutUstarMagicOrWithNonUTF8NamesAreRefused() {
        let v7 = RawTar.patched(RawTar.header("f"), at: 257, [UInt8](repeating: 0, count: 8))
        expectError(.unsupportedFormat(offset: 0), v7 + RawTar.end)
        let latin1 = RawTar.patched(RawTar.header("f"), at: 0, [0x66, 0xE9, 0x00])
        expectError(.invalidPathEncoding(offset: 0), latin1 + RawTar.end)
    }

    @Test func errorsAreStickySoALaterPieceCannotResumeParsing() async throws {
        var bytes = try await twoFiles()
        bytes[10] ^= 1
        var reader = TarReader()
        reader.append(bytes[..<512])
        #expect(throws: DirectorySourceError.badChecksum(offset: 0)) { try reader.next() }
        reader.append(bytes[512...])
        #expect(throws: DirectorySourceError.badChecksum(offset: 0)) { try reader.next() }
        #expect(throws: DirectorySourceError.badChecksum(offset: 0)) { try reader.finish() }
    }

    @Test func descriptionsQuoteHostilePathsSafely() {
        let error = DirectorySourceError.unsafePath(path: "evil\n\u{1B}[31m\"" + String(repeating: "x", count: 500), reason: .parentReference)
        let text = error.description
        #expect(!text.contains("\n") && !text.contains("\u{1B}"))
        #expect(text.contains("evil\\n\\u{1B}[31m\\\""))
        #expect(text.count < 300)
    }
}
