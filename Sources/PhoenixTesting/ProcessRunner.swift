import Dispatch
import Foundation
import PhoenixDomain
import Synchronization

/// Runs a command-line tool (curl, openssl) and collects its output.
public enum ProcessRunner {
    /// The result of a finished process.
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs `executable` (looked up on PATH) with `arguments` and waits for it to exit, on a
    /// thread of its own so the wait never blocks the cooperative pool.
    public static func run(_ executable: String, _ arguments: [String]) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue(label: "process-runner").async {
                continuation.resume(with: Result { try runBlocking(executable, arguments) })
            }
        }
    }

    /// Starts a configured process under the same launch lock as `run`.
    public static func start(_ process: Process) throws {
        try ProcessLaunch.serialized { try process.run() }
    }

    private static func runBlocking(_ executable: String, _ arguments: [String]) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        // Tools that read input (openssl s_client) end at once instead of waiting on ours.
        process.standardInput = FileHandle.nullDevice
        // Foundation's Process.run is not safe to call from several threads at once on Linux
        // (it crashed copying the environment in a parallel test run): launch one at a time.
        try ProcessLaunch.serialized { try process.run() }
        // Read before waiting, so a full pipe cannot block the child.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus,
                      stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }
}

/// Serialises `Process.run()` calls of this process.
