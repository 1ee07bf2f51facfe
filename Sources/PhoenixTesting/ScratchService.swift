import Foundation
import Glibc

/// A throwaway server of a test's own (moto or PostgreSQL) on a free loopback port, started and
/// stopped with the repository's `Deploy/dev` scripts, the ones `make test` uses for the shared
/// servers. For tests that stop a server under a running backup: the shared ones must stay up.
///
/// ```swift
/// let moto = try await ScratchService.start(.moto)
/// defer { Task { await moto.stop() } }
/// // ... point a store at moto.endpoint, then: moto.kill()
/// ```
public struct ScratchService: Sendable {
    /// Which server, and how it checks logins.
    public enum Kind: Sendable {
        /// moto's S3; with `checksSignatures`, set up by `moto-auth-bootstrap.py` (one IAM user).
        case moto(checksSignatures: Bool)
        /// A PostgreSQL 15 cluster; with a password, TCP logins need it (scram-sha-256).
        case postgres(password: String?)
    }

    /// What was started.
    public let kind: Kind
    /// Its port on 127.0.0.1.
    public let port: Int
    /// The server's PID (moto's python, or the postmaster).
    public let pid: pid_t
    /// Its data and log folder (moto.log, or the cluster with server.log).
    public let directory: String
    /// For a signature-checking moto: the IAM user's key id and secret.
    public let keys: (id: String, secret: String)?
    /// The server's start time (/proc/PID/stat), to tell it from a process that reused its pid
    /// once it has gone: pid_max is 32768 here and a test run spawns thousands of processes.
    private let startTime: Substring?

    init(kind: Kind, port: Int, pid: pid_t, directory: String, keys: (id: String, secret: String)?) {
        self.kind = kind
        self.port = port
        self.pid = pid
        self.directory = directory
        self.keys = keys
        startTime = Self.startTime(of: pid)
    }

    /// `http://127.0.0.1:PORT`.
    public var endpoint: String { "http://127.0.0.1:\(port)" }

    /// `Deploy/dev` of this checkout.
    public static let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Deploy/dev").standardized.path

    /// Starts a server on a port that is free now; a start that loses its port to another
    /// process (the script refuses a taken port) is tried again on another.
    /// - Throws: `SpawnError` naming the script when every try failed.
    public static func start(_ kind: Kind) async throws -> ScratchService {
        var failure = SpawnError("not started")
        for _ in 0..<3 {
            let port = LoopbackPort.free()
            // Under /tmp: as root the postgres user must reach every parent of the folder.
            let directory = "/tmp/phoenix-scratch-\(UUID().uuidString.lowercased())"
            do {
                return try await start(kind, port: port, directory: directory)
            } catch {
                failure = error
                try? FileManager.default.removeItem(atPath: directory)
            }
        }
        throw failure
    }

    private static func start(_ kind: Kind, port: Int, directory: String) async throws(SpawnError) -> ScratchService {
        switch kind {
        case .moto(let checksSignatures):
            let pid = try await run("start-moto.sh", [String(port), directory])
            guard checksSignatures else { return ScratchService(kind: kind, port: port, pid: pid, directory: directory, keys: nil) }
            let service = ScratchService(kind: kind, port: port, pid: pid, directory: directory, keys: nil)
            do throws(SpawnError) {
                let words = try await run(["python3", "\(scripts)/moto-auth-bootstrap.py", String(port)]).split(separator: " ")
                guard words.count == 2 else { throw SpawnError("moto-auth-bootstrap.py printed no keys") }
                return ScratchService(kind: kind, port: port, pid: pid, directory: directory, keys: (String(words[0]), String(words[1])))
            } catch {
                await service.stop()
                throw error
            }
        case .postgres(let password):
            let text = try await run(["bash", "\(scripts)/start-postgres.sh", String(port), directory],
                                     environment: password.map { ["POSTGRES_PASSWORD": $0] } ?? [:])
            guard let pid = pid_t(text) else { throw SpawnError("start-postgres.sh printed no PID: \(text)") }
            return ScratchService(kind: kind, port: port, pid: pid, directory: directory, keys: nil)
        }
    }

    /// Ends the server at once with SIGKILL, as a crash would; `stop()` still cleans up after.
    public func kill() {
        if isRunning { _ = Glibc.kill(pid, SIGKILL) }
    }

    /// Stops the server by its PID (PostgreSQL: a fast shutdown) and removes its folder.
    public func stop() async {
        if !isRunning {
            // Gone already (killed by the test): its pid may be another process's by now.
        } else if case .postgres = kind {
            _ = try? await Self.run(["bash", "\(Self.scripts)/stop-postgres.sh", String(pid), "5"])
        } else {
            _ = try? await Self.run(["bash", "\(Self.scripts)/stop-pid.sh", String(pid)])
        }
        try? FileManager.default.removeItem(atPath: directory)
        try? FileManager.default.removeItem(atPath: directory + ".initdb.log")
    }

    /// The server still runs under its pid (a zombie's start time is still there, and killing
    /// a zombie does no harm).
    private var isRunning: Bool { startTime != nil && Self.startTime(of: pid) == startTime }

    /// Field 22 of /proc/PID/stat, counted after the command name, which may hold spaces.
    private static func startTime(of pid: pid_t) -> Substring? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let end = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: end)...].split(separator: " ")
        // fields[0] is the state (field 3), so field 22 is fields[19].
        return fields.count > 19 ? fields[19] : nil
    }

    private static func run(_ script: String, _ arguments: [String]) async throws(SpawnError) -> pid_t {
        let text = try await run(["bash", "\(scripts)/\(script)"] + arguments)
        guard let pid = pid_t(text) else { throw SpawnError("\(script) printed no PID: \(text)") }
        return pid
    }

    /// Runs a command to its end and returns its trimmed stdout. The output goes to a file, not
    /// a pipe: the daemon a start script leaves running could hold a pipe open for ever.
    private static func run(_ command: [String], environment: [String: String] = [:]) async throws(SpawnError) -> String {
        let output = NSTemporaryDirectory() + "scratch-\(UUID().uuidString).out"
        let errors = output + ".err"
        defer {
            try? FileManager.default.removeItem(atPath: output)
            try? FileManager.default.removeItem(atPath: errors)
        }
        let process = try SpawnedProcess(command[0], Array(command.dropFirst()), environment: environment,
                                         stdout: .file(output), stderr: .file(errors))
        await process.waitUntilExit()
        let text = ((try? String(contentsOfFile: output, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0 else {
            let reason = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
            throw SpawnError("\(command.prefix(2).joined(separator: " ")) failed: \(reason.suffix(2000))")
        }
        return text
    }
}
