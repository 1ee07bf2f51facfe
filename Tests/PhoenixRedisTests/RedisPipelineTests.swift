import PhoenixRedis
import Testing

@Suite
struct RedisPipelineTests {
    @Test func tenThousandSetsThenGetsComeBackInOrder() async throws {
        try await TestRedis.withPrefix { connection, prefix in
            let count = 10_000
            let keys = (0..<count).map { (prefix + "\($0)").bytes }
            // Each value differs and holds NUL and CRLF, so a reply out of order would show.
            let values = (0..<count).map { Array("v\($0)".utf8) + [0, 13, 10] }
            let sets = try await connection.pipeline(zip(keys, values).map { ["SET".bytes, $0, $1] })
            #expect(sets.count == count)
            #expect(sets.allSatisfy { $0 == .status("OK") })
            let gets = try await connection.pipeline(keys.map { ["GET".bytes, $0] })
            #expect(gets == values.map { .string($0) })
        }
    }

    @Test func anErrorReplyInAPipelineLeavesTheOthers() async throws {
        try await TestRedis.withPrefix { connection, prefix in
            let key = (prefix + "text").bytes
            let replies = try await connection.pipeline([
                ["SET".bytes, key, "abc".bytes], ["INCR".bytes, key], ["GET".bytes, key],
            ])
            #expect(replies.count == 3)
            #expect(replies[0] == .status("OK"))
            #expect(replies[1].isError)
            #expect(replies[2] == .string("abc".bytes))
        }
    }

    @Test func anEmptyPipelineReturnsNothing() async throws {
        try await TestRedis.withPrefix { connection, _ in
            let replies = try await connection.pipeline([])
            #expect(replies.isEmpty)
            let pong = try await connection.command("PING")
            #expect(pong == .status("PONG"))
        }
    }

    @Test func anEmptyCommandIsRejectedWithoutBeingSent() async throws {
        try await TestRedis.withPrefix { connection, _ in
            #expect(await redisError { _ = try await connection.command([]) }?.code == .protocolError)
            let emptyInPipeline = await redisError { _ = try await connection.pipeline([["PING".bytes], []]) }
            #expect(emptyInPipeline?.code == .protocolError)
            // Nothing was sent: the connection is still open and in step.
            let pong = try await connection.command("PING")
            #expect(pong == .status("PONG"))
        }
    }
}
