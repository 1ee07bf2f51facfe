import Testing

@testable import PhoenixSources

/// Numeric fields and PAX values as values.
struct TarFieldTests {
    @Test func octalFieldsParseWithTheTerminatorsWritersUse() {
        #expect(TarNumber.parse(Array("0000644\u{0}".utf8)[...]) == 0o644)
        #expect(TarNumber.parse(Array("   644 ".utf8)[...]) == 0o644)
        #expect(TarNumber.parse(Array("00000000012".utf8)[...]) == 10)
        #expect(TarNumber.parse(Array("\u{0}\u{0}\u{0}".utf8)[...]) == 0)
        #expect(TarNumber.parse([][...]) == 0)
    }

    @Test func garbageInANumericFieldIsRejected() {
        for text in ["12x4", "0009", "-1", "1 2", "abc"] {
            #expect(TarNumber.parse(Array(text.utf8)[...]) == nil, "\(text)")
        }
    }

    @Test func base256FieldsParseInBothSignsWithinInt64() {
        var field = [UInt8](repeating: 0, count: 12)
        field[0] = 0x80
        field[8] = 0x02  // 2 << 24
        #expect(TarNumber.parse(field[...]) == 2 << 24)
        #expect(TarNumber.parse([UInt8](repeating: 0xFF, count: 12)[...]) == -1)
        #expect(TarNumber.parse(([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE, 0xAE, 0x80])[...]) == -86_400)
        #expect(TarNumber.parse(([0x80] + [UInt8](repeating: 0xFF, count: 11))[...]) == nil)  // beyond Int64
        #expect(TarNumber.parse(([0xFF, 0x00] + [UInt8](repeating: 0, count: 10))[...]) == nil)  // below Int64
    }

    @Test func onlyTheTimeFieldMayBeNegative() {
        let negative = [UInt8](repeating: 0xFF, count: 12)
        let earlyFile = RawTar.patched(RawTar.header("f"), at: 136, negative)
        #expect(throws: Never.self) { _ = try UstarHeader.decode(earlyFile[...], offset: 0) }
        let negativeSize = RawTar.patched(RawTar.header("f"), at: 124, negative)
        #expect(throws: DirectorySourceError.badNumericField(field: "size", offset: 0)) {
            _ = try UstarHeader.decode(negativeSize[...], offset: 0)
        }
    }

    @Test func octalEncodingFitsTheFieldOrReportsThatItCannot() {
        #expect(TarNumber.octal(8, width: 8) == Array("0000010\u{0}".utf8))
        #expect(TarNumber.octal(TarNumber.octalLimit(width: 12), width: 12) == Array("77777777777\u{0}".utf8))
        #expect(TarNumber.octal(TarNumber.octalLimit(width: 12) + 1, width: 12) == nil)
        #expect(TarNumber.octal(-1, width: 12) == nil)
    }

    @Test func paxTimesKeepWholeSecondsRoundedDown() {
        #expect(PAXRecords.seconds(Array("1700000000.123456789".utf8)) == 1_700_000_000)
        #expect(PAXRecords.seconds(Array("-1.5".utf8)) == -2)
        #expect(PAXRecords.seconds(Array("-2".utf8)) == -2)
        #expect(PAXRecords.seconds(Array("12a".utf8)) == nil)
        #expect(PAXRecords.seconds(Array(".5".utf8)) == nil)
        #expect(PAXRecords.integer(Array("1234567890123456789".utf8)) == nil)
    }

    @Test func anEmptyPAXValueDeletesTheKey() throws {
        let data = PAXRecords.encode([("path", "a"), ("uname", "x")]) + Array("9 uname=\n".utf8)
        let records = try PAXRecords.parse(data[...], offset: 0)
        #expect(records["path"] == Array("a".utf8))
        #expect(records["uname"] == nil)
    }
}
