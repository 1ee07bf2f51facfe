import Foundation
import Testing

@testable import PhoenixPostgres

/// The text formats as values: no server needed.
struct PostgresTextFormatTests {
    @Test func byteaHexEncodesAndDecodesEveryByte() {
        let bytes = Array(UInt8.min...UInt8.max)
        let hex = PostgresTextFormat.byteaHex(bytes)
        #expect(hex.hasPrefix("\\x0001020304"))
        #expect(hex.hasSuffix("fdfeff"))
        #expect(PostgresTextFormat.bytes(parsingHex: hex) == bytes)
        #expect(PostgresTextFormat.byteaHex([]) == "\\x")
        #expect(PostgresTextFormat.bytes(parsingHex: "\\x") == [])
        #expect(PostgresTextFormat.bytes(parsingHex: "\\xABcd") == [0xab, 0xcd])
    }

    @Test func malformedByteaIsRejected() {
        for text in ["", "x00", "\\x0", "\\x0g", "\\000", "abc"] {
            #expect(PostgresTextFormat.bytes(parsingHex: text) == nil, "\(text)")
        }
    }

    @Test func timestampsAreFormattedAsISO8601InUTCWithMicroseconds() {
        #expect(PostgresTextFormat.timestamp(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000000Z")
        #expect(PostgresTextFormat.timestamp(Date(timeIntervalSince1970: 1_704_164_645.5)) == "2024-01-02T03:04:05.500000Z")
        #expect(PostgresTextFormat.timestamp(Date(timeIntervalSince1970: -0.000_001)) == "1969-12-31T23:59:59.999999Z")
        #expect(PostgresTextFormat.timestamp(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00.000000Z")
    }

    @Test func serverTimestampsParseWithEveryOffsetForm() {
        let instant = Date(timeIntervalSince1970: 1_704_164_645.5)
        for text in [
            "2024-01-02 03:04:05.5+00", "2024-01-02 08:34:05.5+05:30", "2024-01-01 22:04:05.500000-05",
            "2024-01-02T03:04:05.5Z", "2024-01-02 03:50:05.5+00:46:00",
        ] {
            #expect(PostgresTextFormat.date(parsingTimestamp: text) == instant, "\(text)")
        }
        #expect(PostgresTextFormat.date(parsingTimestamp: "2024-01-02 03:04:05+00") == Date(timeIntervalSince1970: 1_704_164_645))
    }

    @Test func unsupportedTimestampsAreRejected() {
        for text in ["infinity", "-infinity", "0044-03-15 12:00:00+00 BC", "01/02/2024 03:04:05", "2024-13-02 03:04:05+00", "2024-01-02 03:04:05.1234567+00", "2024-01-02"] {
            #expect(PostgresTextFormat.date(parsingTimestamp: text) == nil, "\(text)")
        }
    }

    @Test func formattedTimestampsParseBackToTheSameInstant() {
        for seconds in [-2_208_988_800.25, -1.5, 0, 1_000_000_000.123456, 4_102_444_799.999999] {
            let date = Date(timeIntervalSince1970: seconds)
            let back = PostgresTextFormat.date(parsingTimestamp: PostgresTextFormat.timestamp(date))
            #expect(back.map { abs($0.timeIntervalSince(date)) < 0.000_001 } == true, "\(seconds)")
        }
    }

    @Test func doublesUseFloat8Spellings() {
        #expect(PostgresTextFormat.double(.nan) == "NaN")
        #expect(PostgresTextFormat.double(.infinity) == "Infinity")
        #expect(PostgresTextFormat.double(-.infinity) == "-Infinity")
        #expect(PostgresTextFormat.double(0.1) == "0.1")
        #expect(PostgresTextFormat.double(parsing: "-Infinity") == -.infinity)
        #expect(PostgresTextFormat.double(parsing: "1e-05") == 0.000_01)
        #expect(PostgresTextFormat.double(parsing: "abc") == nil)
    }

    @Test func errorDescriptionsNameTheClassAndSQLStateOnly() {
        let error = PostgresError(
            .queryFailed, sqlState: "23505", operation: "PQexecParams",
            message: "ERROR: duplicate key value violates unique constraint DETAIL: Key (email)=(a@b.c) already exists.")
        #expect(error.description == "a PostgreSQL statement failed (SQLSTATE 23505)")
        #expect(error.debugDescription.contains("Key (email)=(a@b.c)"))
        #expect(error.debugDescription.contains("PQexecParams"))
        #expect(PostgresError(.init("somethingNew"), operation: "x").description == "PostgreSQL error (somethingNew)")
    }
}
