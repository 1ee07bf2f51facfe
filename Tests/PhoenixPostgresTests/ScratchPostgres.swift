import Foundation

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

    /// Runs a script without blocking the cooperative pool (the termination handler resumes us).
    ///
    /// The postmaster that start-postgres.sh leaves running would inherit every descriptor the
    /// child has. Foundation's Process notices the exit through a socketpair end the child holds,
    /// and a stdout pipe only ends at EOF, so either one held by the postmaster hangs the test
    /// forever (seen here). Hence: output into a file, and a bash wrapper that closes every
    /// descriptor above 2 (also other tests' libpq sockets) before it runs the script.
    private static func run(_ script: String, _ arguments: [String], environment: [String: String]) async throws -> String {
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("scratch-pg-\(UUID().uuidString).out")
        _ = FileManager.default.createFile(atPath: outputPath.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outputPath) }
        let output = try FileHandle(forWritingTo: outputPath)
        defer { try? output.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        let closeInherited = #"for fd in /proc/$$/fd/*; do n=${fd##*/}; [ "$n" -gt 2 ] && eval "exec $n>&-"; done; exec bash "$0" "$@""#
        process.arguments = ["-c", closeInherited, scripts.appendingPathComponent(script).path] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        guard status == 0 else { throw ScratchError.scriptFailed(script, status) }
        let text = try String(contentsOf: outputPath, encoding: .utf8)
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    enum ScratchError: Error {
        case scriptFailed(String, Int32)
    }
}
