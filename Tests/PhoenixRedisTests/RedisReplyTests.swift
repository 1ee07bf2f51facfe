import PhoenixRedis
import Testing

/// Each RESP2 reply type, copied out of hiredis, against the plain test server.
@Suite
struct RedisReplyTests {
    /// Every byte value, plus the protocol's own delimiters in the middle.
    static let binary: [UInt8] = Array(0...255) + [0, 13, 10, 0] + Array("\r\n$-1\r\n".utf8) + [0]

    @Test func setAndGetKeepEveryByteOfKeyAndValue() async throws {
        try await TestRedis.withPrefix { connection, prefix in
            let key = prefix.bytes + [0, 13, 10, 255]
            #expect(try await connection.command(["SET".bytes, key, Self.binary]) == .status("OK"))
            let value = try await connection.command(["GET".bytes, key])
            #expect(value == .string(Self.binary))
            #expect(value.bytes?.count == Self.binary.count)
            #expect(try await connection.command(["SET".bytes, key, []]) == .status("OK"))
            #expect(try await connection.command(["GET".bytes, key]) == .string([]))
        }
    }

    @Test func integerArrayAndStatusReplies() async throws {
        try await TestRedis.withPrefix { connection, prefix in
            #expect(try await connection.command("PING") == .status("PONG"))
            #expect(try await connection.command("INCRBY", prefix + "n", "-5").int == -5)
            let list = prefix + "list"
            #expect(try await connection.command(["RPUSH".bytes, list.bytes, "a".bytes, [0, 1], []]) == .integer(3))
            let range = try await connection.command("LRANGE", list, "0", "-1")
            #expect(range == .array([.string("a".bytes), .string([0, 1]), .string([])]))
            #expect(range.array?.count == 3)
            #expect(try await connection.command("LRANGE", prefix + "missing", "0", "-1") == .array([]))
        }
    }

    @Test func missingKeyIsNull() async throws {
        try await TestRedis.withPrefix { connection, prefix in
            let value = try await connection.command("GET", prefix + "missing")
            #expect(value == .null)
            #expect(value.bytes == nil)
        }
    }

    @Test func errorReplyIsReturnedAndTheConnectionStaysUsable() async throws {
        try await TestRedis.withPrefix { connection, prefix in
            _ = try await connection.command("SET", prefix + "text", "abc")
            let reply = try await connection.command("INCR", prefix + "text")
            guard case .error(let message) = reply else {
                Issue.record("expected an error reply, got \(reply)")
                return
            }
            #expect(message.hasPrefix("ERR value is not an integer"))
            #expect(reply.isError)
            #expect(try await connection.command("PING") == .status("PONG"))
        }
    }

    @Test func nestedArraysFromScan() async throws {
        try await TestRedis.withPrefix { connection, prefix in
            _ = try await connection.command("SET", prefix + "one", "1")
            let page = try await connection.command("SCAN", "0", "MATCH", prefix + "*", "COUNT", "100000")
            let parts = try #require(page.array)
            #expect(parts.count == 2)
            #expect(parts[0].text != nil)
            #expect(parts[1] == .array([.string((prefix + "one").bytes)]))
        }
    }

    @Test func dumpAndRestoreRoundTripABinaryList() async throws {
        try await TestRedis.withPrefix { connection, prefix in
            let source = (prefix + "source").bytes
            let copy = (prefix + "copy").bytes
            _ = try await connection.command(["RPUSH".bytes, source, Self.binary, [0], "x".bytes])
            let payload = try #require(try await connection.command(["DUMP".bytes, source]).bytes)
            #expect(payload.contains(0))
            #expect(try await connection.command(["RESTORE".bytes, copy, "0".bytes, payload]) == .status("OK"))
            let restored = try await connection.command(["LRANGE".bytes, copy, "0".bytes, "-1".bytes])
            #expect(restored == .array([.string(Self.binary), .string([0]), .string("x".bytes)]))
        }
    }

    @Test func commandsFromManyTasksOnOneConnectionAreSerialised() async throws {
        try await TestRedis.withPrefix { connection, prefix in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<20 {
                    group.addTask { _ = try await connection.command("INCR", prefix + "counter") }
                }
                try await group.waitForAll()
            }
            #expect(try await connection.command("GET", prefix + "counter").int == 20)
        }
    }
}
