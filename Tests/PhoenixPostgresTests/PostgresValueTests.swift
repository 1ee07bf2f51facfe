import Foundation
import PhoenixPostgres
import Testing

@Suite(.enabled("needs PostgreSQL (PHOENIX_TEST_POSTGRES)") { await TestDatabase.shouldRun() })
struct PostgresValueTests {
    /// Sends `value` as `$1`, stores it in a column of `type`, and reads it back.
    private func roundTrip(_ value: PostgresValue, as type: String, in connection: PostgresConnection) async throws -> PostgresRow {
        try await connection.execute("DROP TABLE IF EXISTS v")
        try await connection.execute("CREATE TABLE v (x \(type))")
        try await connection.execute("INSERT INTO v VALUES ($1)", [value])
        return try #require(try await connection.query("SELECT x FROM v").first)
    }

    @Test func textRoundTripsIncludingUnicodeAndEmpty() async throws {
        try await TestDatabase.withSchema { connection, _ async throws in
            for text in ["", "plain", "héllo wörld — 日本語 🦅", "quote ' and \\ backslash", String(repeating: "x", count: 100_000)] {
                #expect(try await roundTrip(.text(text), as: "text", in: connection).string("x") == text)
            }
            // Untyped text fills other types by context.
            let uuid = UUID().uuidString.lowercased()
            #expect(try await roundTrip(.text(uuid), as: "uuid", in: connection).string("x") == uuid)
        }
    }

    @Test func integersRoundTripAtTheirLimits() async throws {
        try await TestDatabase.withSchema { connection, _ async throws in
            for number in [Int64.min, -1, 0, 1, Int64(Int32.max) + 1, Int64.max] {
                #expect(try await roundTrip(.int(number), as: "int8", in: connection).int("x") == number)
            }
            #expect(try await connection.query("SELECT $1 + 1 AS n", [.int(41)]).first?.int("n") == 42)
        }
    }

    @Test func boolsAndDoublesRoundTrip() async throws {
        try await TestDatabase.withSchema { connection, _ async throws in
            #expect(try await roundTrip(.bool(true), as: "bool", in: connection).bool("x") == true)
            #expect(try await roundTrip(.bool(false), as: "bool", in: connection).bool("x") == false)
            for number in [0.1, -2.5e-300, 1e300, 3.141592653589793, .infinity, -.infinity, Double.leastNonzeroMagnitude] {
                #expect(try await roundTrip(.double(number), as: "float8", in: connection).double("x") == number)
            }
            #expect(try await roundTrip(.double(.nan), as: "float8", in: connection).double("x")?.isNaN == true)
        }
    }

    @Test func bytesRoundTripIncludingZeroBytes() async throws {
        try await TestDatabase.withSchema { connection, _ async throws in
            let samples: [[UInt8]] = [[], [0], [0, 0, 1, 0], Array(0...255), [UInt8](repeating: 0, count: 70_000)]
            for bytes in samples {
                #expect(try await roundTrip(.bytes(bytes), as: "bytea", in: connection).bytes("x") == bytes)
            }
            let length = try await connection.query("SELECT length($1) AS n", [.bytes([0, 1, 0])]).first?.int("n")
            #expect(length == 3)
        }
    }

    @Test func datesRoundTripWithMicroseconds() async throws {
        try await TestDatabase.withSchema { connection, _ async throws in
            let samples = [
                Date(timeIntervalSince1970: 1_764_000_000.123456),
                Date(timeIntervalSince1970: 0),
                Date(timeIntervalSince1970: -1_234_567_890.5),
                Date(timeIntervalSince1970: 4_102_444_800),  // 2100-01-01
            ]
            for date in samples {
                let back = try #require(try await roundTrip(.date(date), as: "timestamptz", in: connection).date("x"))
                #expect(abs(back.timeIntervalSince(date)) < 0.000_001)
            }
            // Any session time zone parses to the same instant.
            try await connection.execute("SET TimeZone TO 'Asia/Kolkata'")
            let row = try #require(try await connection.query("SELECT '2024-01-02 03:04:05.5+00'::timestamptz AS t").first)
            #expect(try row.string("t") == "2024-01-02 08:34:05.5+05:30")
            #expect(try row.date("t") == Date(timeIntervalSince1970: 1_704_164_645.5))
        }
    }

    @Test func nullReadsAsNilForEveryAccessor() async throws {
        let connection = try await TestDatabase.connect()
        let row = try #require(try await connection.query("SELECT $1::text AS x", [.null]).first)
        #expect(try row.isNull("x"))
        #expect(try row.string("x") == nil)
        #expect(try row.int("x") == nil)
        #expect(try row.bool("x") == nil)
        #expect(try row.double("x") == nil)
        #expect(try row.bytes("x") == nil)
        #expect(try row.date("x") == nil)
        #expect(row[0] == nil)
        await connection.close()
    }

    @Test func wrongTypesAndUnknownColumnsThrow() async throws {
        let connection = try await TestDatabase.connect()
        let row = try #require(try await connection.query("SELECT 'abc' AS s").first)
        #expect(throws: PostgresError.self) { try row.int("s") }
        #expect(throws: PostgresError.self) { try row.date("s") }
        do {
            _ = try row.string("missing")
            Issue.record("expected columnNotFound")
        } catch {
            #expect(error.code == .columnNotFound)
        }
        await connection.close()
    }
}
