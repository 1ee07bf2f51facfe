import Foundation
import PhoenixPostgres
import Testing

/// Password authentication against a scram-sha-256 cluster of the test's own (`ScratchPostgres`).
/// A suite of its own because it launches processes with Foundation's Process, which the ASan run
/// leaves out (see .ci/run).
struct PostgresPasswordTests {
    @Test(.enabled("needs PostgreSQL 15 binaries and Deploy/dev") { ScratchPostgres.isAvailable || TestDatabase.isRequired })
    func aWrongPasswordFailsWithConnectionFailedAndTheRightOneConnects() async throws {
        let server = try await ScratchPostgres.start(password: "right-\(UUID().uuidString.prefix(8))")
        do {
            try await checkPasswords(server)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    private func checkPasswords(_ server: ScratchPostgres) async throws {
        let start = ContinuousClock.now
        let error = await postgresError {
            _ = try await PostgresConnection.connect(
                server.url(password: "wrong-password"), connectTimeout: .seconds(5), logger: TestDatabase.logger)
        }
        #expect(ContinuousClock.now - start < .seconds(8))
        #expect(error?.code == .connectionFailed)
        #expect(error?.sqlState == nil)
        #expect(error?.debugDescription.contains("password authentication failed") == true)
        #expect(error?.debugDescription.contains("wrong-password") == false)
        #expect(error?.description.contains("password") == false)
        let connection = try await PostgresConnection.connect(
            server.url(password: server.password), connectTimeout: .seconds(5), logger: TestDatabase.logger)
        #expect(try await connection.query("SELECT current_user AS u").first?.string("u") == "postgres")
        await connection.close()
    }
}
