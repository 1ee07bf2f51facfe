import Foundation
import Logging
import PhoenixCrypto
import PhoenixDomain
import PhoenixPersistence
import PhoenixPostgres
import PhoenixTesting
import Testing

/// Two `phoenix-dr` processes on one PostgreSQL catalog: one leads, and when it is killed with
/// SIGKILL (no chance to hand the lease over) the other takes over within a lease period.
///
/// The bound is checked on the times the instances recorded on the catalog's clock, not on how
/// long the test waited: the new holder's `lease.acquired` event carries the dead holder's last
/// renewal and its own acquisition time.
@Suite(.enabled("needs PostgreSQL (PHOENIX_TEST_POSTGRES)") { await testPostgresAnswers() })
struct LeaseBinaryTests {
    static let url = ProcessInfo.processInfo.environment["PHOENIX_TEST_POSTGRES"] ?? "postgresql://postgres@127.0.0.1:5433/postgres"
    static let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    @Test func theLeaseMovesToTheOtherInstanceWhenItsHolderIsKilled() async throws {
        let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("phoenix-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("phoenix-dr.yaml")
        try """
            server:
              data_directory: \(directory.path)/data
            catalog:
              kind: postgres
              url: \(Self.url)
              schema: \(schema)
              lease_duration: 4s
            auth:
              tokens:
                - {name: probe, role: viewer, sha256: \(SHA256.hex(Array("t-viewer".utf8)))}
            """.write(to: file, atomically: true, encoding: .utf8)

        // One after the other: the first start writes the keyring of the shared data folder.
        let first = try BinaryTests.startServe(config: file)
        defer { if first.isRunning { first.kill(SIGKILL) } }
        let firstPort = try #require(await BinaryTests.listeningPort(of: first))
        let second = try BinaryTests.startServe(config: file)
        defer { if second.isRunning { second.kill(SIGKILL) } }
        let secondPort = try #require(await BinaryTests.listeningPort(of: second))

        // Exactly one leads once both have tried the lease.
        #expect(await eventually(timeout: .seconds(20)) {
            let leaders = await [Self.status(firstPort), Self.status(secondPort)].filter { $0?.contains(#""leader":true"#) == true }
            return leaders.count == 1
        })
        let firstLeads = await Self.status(firstPort)?.contains(#""leader":true"#) == true
        let (leader, follower, followerPort) = firstLeads ? (first, second, secondPort) : (second, first, firstPort)
        #expect(await Self.status(followerPort)?.contains(#""leader":false"#) == true)

        leader.kill(SIGKILL)
        #expect(await eventually(timeout: .seconds(20)) {
            await Self.status(followerPort)?.contains(#""leader":true"#) == true
        })
        // 2, or more if a loaded machine let the lease flap before the kill.
        let epoch = await Self.status(followerPort)?.firstMatch(of: /"leader_epoch":(\d+)/).flatMap { Int($0.1) }
        #expect((epoch ?? 0) >= 2)
        try await Self.expectTakeoverWithinOnePeriod(schema: schema, epoch: epoch ?? 0, from: leader.processIdentifier)
        // A graceful stop exits 0 and hands the lease over at once, saying so in the history.
        follower.kill(SIGTERM)
        #expect(await eventually(timeout: .seconds(30)) { !follower.isRunning })
        #expect(follower.didExitNormally && follower.terminationStatus == 0)
        let catalog = try await PostgresJobCatalog.open(url: Self.url, schema: schema, maxConnections: 1, logger: Self.logger)
        let released = try await catalog.events(EventQuery(kind: "lease.released"))
        await catalog.close()
        #expect(released.first?.details["holder"]?.hasSuffix("-\(follower.processIdentifier)") == true, "\(released)")
        await Self.dropSchema(schema)
    }

    /// The period configured above (`lease_duration: 4s`): grants last 3/4 of it.
    static let periodMillis: Int64 = 4000

    /// Reads the follower's `lease.acquired` event for `epoch` and checks the takeover gap it
    /// recorded: at least the grant (the lease was not taken before it lapsed) and at most one
    /// period after the dead holder's last renewal. No slack is added: the elector's design keeps
    /// a quarter period (1 s here) between the lapse and the bound for the standby's wake-up and
    /// one round trip to the catalog, and the standby wakes 5 ms after the lapse it observed.
    static func expectTakeoverWithinOnePeriod(schema: String, epoch: Int, from killedPID: Int32) async throws {
        let catalog = try await PostgresJobCatalog.open(url: url, schema: schema, maxConnections: 1, logger: logger)
        let events = try await catalog.events(EventQuery(kind: "lease.acquired", subject: "automation"))
        await catalog.close()
        let takeover = try #require(events.first { $0.details["epoch"] == "\(epoch)" }, "\(events)")
        #expect(takeover.details["previous_holder"]?.hasSuffix("-\(killedPID)") == true, "\(takeover.details)")
        let renewed = try #require(takeover.details["previous_renewed_at"].flatMap { Int64($0) }, "\(takeover.details)")
        let acquired = try #require(takeover.details["acquired_at"].flatMap { Int64($0) }, "\(takeover.details)")
        let gap = acquired - renewed
        #expect(takeover.details["takeover_gap_ms"] == "\(gap)")
        #expect(gap >= periodMillis * 3 / 4, "taken \(gap) ms after the last renewal, before the grant lapsed")
        #expect(gap <= periodMillis, "taken \(gap) ms after the last renewal, more than one lease period")
    }

    static func status(_ port: UInt16) async -> String? {
        let output = try? await ProcessRunner.run(
            "curl", ["-s", "--max-time", "2", "-H", "Authorization: Bearer t-viewer", "http://127.0.0.1:\(port)/v1/status"])
        return output?.stdout
    }

    static func dropSchema(_ schema: String) async {
        guard let connection = try? await PostgresConnection.connect(url, connectTimeout: .seconds(5), logger: logger) else { return }
        _ = try? await connection.execute("DROP SCHEMA IF EXISTS \(schema) CASCADE")
        await connection.close()
    }
}

/// Whether the test PostgreSQL answers (or services are required, so a missing one fails).
func testPostgresAnswers() async -> Bool {
    if ProcessInfo.processInfo.environment["PHOENIX_REQUIRE_SERVICES"] == "1" { return true }
    guard let connection = try? await PostgresConnection.connect(LeaseBinaryTests.url, connectTimeout: .seconds(2),
                                                                  logger: LeaseBinaryTests.logger) else { return false }
    await connection.close()
    return true
}
