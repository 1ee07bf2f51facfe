import Foundation
import PhoenixCrypto
import PhoenixDomain
import PhoenixPersistence
import PhoenixTesting
import Testing

/// Two `phoenix-dr` processes on one PostgreSQL catalog: the one running a backup is killed with
/// SIGKILL, so it can never mark its job itself; the survivor (leader already, or after taking
/// the lease over) sweeps the job to `interrupted` once its heartbeats are `heartbeat_timeout` old.
@Suite(.enabled("needs PostgreSQL (PHOENIX_TEST_POSTGRES)") { await testPostgresAnswers() })
struct SilentWorkerBinaryTests {
    static let token = "t-operator"

    @Test func aJobOfAKilledInstanceIsInterruptedByTheSurvivingLeader() async throws {
        let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let setup = try await offPool { try BackupBinaryTests.Setup(treeBytes: 400 << 20, files: 40) }
        defer { setup.remove() }
        try Self.configuration(setup, schema: schema).write(to: setup.file, atomically: true, encoding: .utf8)

        // One after the other: the first start writes the shared keyring the second one reads.
        let first = try BinaryTests.startServe(config: setup.file)
        defer { if first.isRunning { first.kill(SIGKILL) } }
        let firstPort = try #require(await BinaryTests.listeningPort(of: first))
        let second = try BinaryTests.startServe(config: setup.file)
        defer { if second.isRunning { second.kill(SIGKILL) } }
        let secondPort = try #require(await BinaryTests.listeningPort(of: second))

        let jobID = try await BackupBinaryTests.triggerBackup(port: firstPort, token: Self.token)
        // Either instance may claim it: the one whose pid the job's worker id ends with runs it.
        var worker: Int32?
        #expect(await eventually(timeout: .seconds(30)) {
            let job = (try? await BackupBinaryTests.job(jobID, port: firstPort, token: Self.token)) ?? ""
            worker = job.firstMatch(of: /"worker":"[^"]*-(\d+)"/).flatMap { Int32($0.1) }
            return worker != nil
        })
        let runsOnFirst = worker == first.processIdentifier
        #expect(runsOnFirst || worker == second.processIdentifier)
        let (victim, survivorPort) = runsOnFirst ? (first, secondPort) : (second, firstPort)

        // Killed halfway through the artifact, from a thread of its own (BackupBinaryTests says why).
        let store = setup.store
        let killed = try await offPool { () -> Bool in
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline {
                if BackupBinaryTests.bytesInTemporaryFiles(under: store) > 8 << 20 {
                    victim.kill(SIGKILL)
                    return true
                }
                usleep(1_000)
            }
            return false
        }
        #expect(killed)
        victim.kill(SIGKILL)
        #expect(await eventually(timeout: .seconds(30)) { !victim.isRunning })

        var shown = ""
        #expect(await eventually(timeout: .seconds(60)) {
            shown = (try? await BackupBinaryTests.job(jobID, port: survivorPort, token: Self.token)) ?? ""
            return shown.contains(#""state":"interrupted""#)
        }, "\(shown)")
        #expect(shown.contains(#""finished_at":""#), "\(shown)")

        // The history names the killed worker as the one that started it.
        let catalog = try await PostgresJobCatalog.open(url: LeaseBinaryTests.url, schema: schema, maxConnections: 1,
                                                        logger: LeaseBinaryTests.logger)
        let started = try await catalog.events(EventQuery(kind: "job.started", subject: jobID))
        await catalog.close()
        #expect(started.first?.details["worker"]?.hasSuffix("-\(victim.processIdentifier)") == true, "\(started)")

        for process in [first, second] where process.isRunning { process.kill(SIGTERM) }
        #expect(await eventually(timeout: .seconds(30)) { !first.isRunning && !second.isRunning })
        await LeaseBinaryTests.dropSchema(schema)
    }

    /// Both instances share the catalog, the data folder and its local store; a short lease and
    /// heartbeat timeout keep the test quick.
    static func configuration(_ setup: BackupBinaryTests.Setup, schema: String) -> String {
        let path = setup.directory.path
        return """
            server:
              data_directory: \(path)/data
            catalog:
              kind: postgres
              url: \(LeaseBinaryTests.url)
              schema: \(schema)
              lease_duration: 2s
              heartbeat_timeout: 3s
            auth:
              tokens:
                - {name: ops, role: operator, sha256: \(SHA256.hex(Array(token.utf8)))}
            stores:
              local: {kind: local, path: \(path)/data/backups}
            datasets:
              docs: {source: directory, path: \(path)/tree, tier: Standard, schedule: "0 0 1 1 *", retention: {keep_last: 5}}
            """
    }
}
