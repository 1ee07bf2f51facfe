import PhoenixRedis
import Testing

@Suite
struct RedisConnectionLossTests {
    @Test func aKilledClientIsConnectionLostThenClosed() async throws {
        let connection = try await TestRedis.connect()
        let admin = try await TestRedis.connect()
        let id = try #require(try await connection.command("CLIENT", "ID").int)
        #expect(try await admin.command("CLIENT", "KILL", "ID", "\(id)") == .integer(1))
        await admin.close()
        #expect(await redisError { _ = try await connection.command("PING") }?.code == .connectionLost)
        #expect(await redisError { _ = try await connection.command("PING") }?.code == .closed)
        #expect(await redisError { _ = try await connection.pipeline([["PING".bytes]]) }?.code == .closed)
        await connection.close()
    }

    @Test func closingTwiceIsFineAndLaterCallsThrowClosed() async throws {
        let connection = try await TestRedis.connect()
        await connection.close()
        await connection.close()
        let error = await redisError { _ = try await connection.command("PING") }
        #expect(error?.code == .closed)
        #expect(error?.description == "the Redis connection is closed")
    }

    @Test func aReplySlowerThanTheCommandTimeoutIsTimeoutThenClosed() async throws {
        let connection = try await TestRedis.connect(commandTimeout: .milliseconds(200))
        // BLPOP on a key nobody pushes to blocks server-side for 5 s, past the socket timeout.
        let error = await redisError { _ = try await connection.command("BLPOP", TestRedis.makeName(), "5") }
        #expect(error?.code == .timeout)
        // The late reply must never be read as the next command's: the connection is closed.
        #expect(await redisError { _ = try await connection.command("PING") }?.code == .closed)
        await connection.close()
    }

    @Test func aCancelledTaskSendsNothingAndTheConnectionStaysUsable() async throws {
        try await TestRedis.withPrefix { connection, prefix in
            let task = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                return try await connection.command("SET", prefix + "never", "1")
            }
            #expect(await redisError { _ = try await task.value }?.code == .cancelled)
            let exists = try await connection.command("EXISTS", prefix + "never")
            #expect(exists == .integer(0))
        }
    }
}
