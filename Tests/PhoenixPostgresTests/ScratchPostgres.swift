import Foundation
import PhoenixTesting

/// A throwaway PostgreSQL cluster with password authentication, started with the repository's
/// `Deploy/dev/start-postgres.sh` (the shared test server trusts every login, so a wrong password
/// can only be tested against a cluster of our own). Takes about 1.5 s to initialise.
struct ScratchPostgres {
    let port: UInt16
    let password: String
    private let pid: String
    private let directory: String

    static let scripts = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Deploy/dev")

    /// True when the script and PostgreSQL 15's binaries are installed.
    static var isAvailable: Bool {
        FileManager.default.fileExists(atPath: scripts.appendingPathComponent("start-postgres.sh").path)
            && FileManager.default.isExecutableFile(atPath: "/usr/lib/postgresql/15/bin/initdb")
    }

    static func start(password: String) async throws -> ScratchPostgres {
        let port = try LoopbackListener(listening: false).port  // closed again at once: a free port
        let directory = "/tmp/phoenix-scratch-pg-\(UUID().uuidString)"
        let pid = try await run("start-postgres.sh", ["\(port)", directory], environment: ["POSTGRES_PASSWORD": password])
        return ScratchPostgres(port: port, password: password, pid: pid, directory: directory)
    }

    func url(password: String) -> String {
        "postgresql://postgres:\(password)@127.0.0.1:\(port)/postgres"
    }

    func stop() async {
        _ = try? await Self.run("stop-postgres.sh", [pid], environment: [:])
        try? FileManager.default.removeItem(atPath: directory)
        try? FileManager.default.removeItem(atPath: directory + ".initdb.log")
    }

    /// Runs a script without blocking the cooperative pool (a thread of PhoenixTesting's reaps it).
    ///
    /// The postmaster that start-postgres.sh leaves running would keep a stdout pipe open, and a
    /// pipe only ends at EOF, so the output goes into a file. Other descriptors of ours (other
    /// tests' libpq sockets) are closed in the child by `SpawnedProcess`, so it cannot hold them.
    private static func run(_ script: String, _ arguments: [String], environment: [String: String]) async throws -> String {
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("scratch-pg-\(UUID().uuidString).out").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        let process = try SpawnedProcess("/bin/bash", [scripts.appendingPathComponent(script).path] + arguments,
                                         environment: environment, stdout: .file(outputPath), stderr: .inherited)
        await process.waitUntilExit()
        let status = process.terminationStatus ?? -1
        guard status == 0 else { throw ScratchError.scriptFailed(script, status) }
        let text = try String(contentsOfFile: outputPath, encoding: .utf8)
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    enum ScratchError: Error {
        case scriptFailed(String, Int32)
    }
}
