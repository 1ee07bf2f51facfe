import PhoenixRedis
import Testing

/// AUTH against the server with `requirepass` (`PHOENIX_TEST_REDIS_AUTH`).
@Suite
struct RedisAuthTests {
    @Test func theRightPasswordConnects() async throws {
        let connection = try await TestRedis.connectAuth()
        #expect(try await connection.command("PING") == .status("PONG"))
        await connection.close()
    }

    @Test func aWrongPasswordIsAuthFailedAndNeverShown() async throws {
        let wrong = "wrong-" + TestRedis.makeName()
        let endpoint = try RedisEndpoint(address: TestRedis.authAddress, password: wrong)
        let error = await redisError { _ = try await RedisConnection.connect(endpoint, logger: TestRedis.logger) }
        #expect(error?.code == .authFailed)
        #expect(error?.message.hasPrefix("WRONGPASS") == true)
        #expect(error?.description.contains(wrong) == false)
        #expect(error?.debugDescription.contains(wrong) == false)
    }

    @Test func noPasswordGetsNoauthReplies() async throws {
        let endpoint = try RedisEndpoint(address: TestRedis.authAddress)
        let connection = try await RedisConnection.connect(endpoint, logger: TestRedis.logger)
        let reply = try await connection.command("PING")
        #expect(reply.isError)
        #expect(reply == .error("NOAUTH Authentication required."))
        await connection.close()
    }

    @Test func anACLUserAuthenticatesWithUsernameAndPassword() async throws {
        let admin = try await TestRedis.connectAuth()
        let user = TestRedis.makeName()
        let secret = "pw-" + TestRedis.makeName()
        #expect(try await admin.command("ACL", "SETUSER", user, "on", ">" + secret, "~*", "+@all") == .status("OK"))
        do {
            try await checkACLUser(user, secret)
        } catch {
            _ = try? await admin.command("ACL", "DELUSER", user)
            await admin.close()
            throw error
        }
        _ = try await admin.command("ACL", "DELUSER", user)
        await admin.close()
    }

    private func checkACLUser(_ user: String, _ secret: String) async throws {
        let endpoint = try RedisEndpoint(address: TestRedis.authAddress, username: user, password: secret)
        let connection = try await RedisConnection.connect(endpoint, logger: TestRedis.logger)
        #expect(try await connection.command("ACL", "WHOAMI") == .string(user.bytes))
        await connection.close()

        let wrong = try RedisEndpoint(address: TestRedis.authAddress, username: user, password: secret + "x")
        let error = await redisError { _ = try await RedisConnection.connect(wrong, logger: TestRedis.logger) }
        #expect(error?.code == .authFailed)
        #expect(error?.debugDescription.contains(secret) == false)
    }
}
