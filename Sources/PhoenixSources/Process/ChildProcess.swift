import Foundation
import Synchronization

/// A tool we run (`pg_dump`, `pg_restore`, `psql`): its stdout read and its stdin written in
/// pieces off the cooperative pool, its stderr kept (the last 64 KiB) for the job's error.
///
/// Secrets go in `environment` (PGPASSWORD), never in `arguments`, which any local user can read
/// in /proc; `redacting` strings are replaced in the stderr a caller sees all the same.
final class ChildProcess: Sendable {
    let name: String
    private let process: Process
    private let stdinHandle: FileHandle?
    private let stdoutHandle: FileHandle
    private let io: PipeIO
    private let stderr = StderrTail()
    private let redacting: [String]
    private static let stderrLimit = 64 * 1024

    /// Starts `executable` (a path, or a name looked up in PATH).
    /// - Throws: `ChildProcessError` when it cannot be started.
    init(_ executable: String, arguments: [String], environment: [String: String] = [:], redacting: [String] = [],
         feedsStdin: Bool = false) throws {
        name = (executable as NSString).lastPathComponent
        self.redacting = redacting.filter { !$0.isEmpty }
        process = Process()
        guard let path = Self.resolve(executable) else { throw ChildProcessError("\(name) is not installed (not found in PATH)") }
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let stdoutPipe = Pipe()
        let stderrPipe = Pipe()
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        if feedsStdin {
            let stdinPipe = Pipe()
            process.standardInput = stdinPipe
            stdinHandle = stdinPipe.fileHandleForWriting
        } else {
            process.standardInput = FileHandle.nullDevice
            stdinHandle = nil
        }
        stdoutHandle = stdoutPipe.fileHandleForReading
        io = PipeIO(label: "phoenix.process.\(name)")
        do {
            try process.run()
        } catch {
            throw ChildProcessError("\(name) could not be started: \(error.localizedDescription)")
        }
        // stderr is drained on a thread of its own, so a chatty tool never blocks on a full pipe.
        let errorHandle = stderrPipe.fileHandleForReading
        Thread.detachNewThread { [stderr] in
            while true {
                let data = errorHandle.availableData
                if data.isEmpty { break }
                stderr.append(Array(data), limit: Self.stderrLimit)
            }
            stderr.finish()
        }
    }

    /// Up to `maxCount` bytes of stdout; empty at its end.
    func read(maxCount: Int) async throws -> [UInt8] {
        try await io.read(stdoutHandle.fileDescriptor, maxCount: maxCount)
    }

    /// Writes all of `bytes` to stdin; throws if the tool has closed it (it exited early).
    func write(_ bytes: [UInt8]) async throws {
        guard let stdinHandle else { throw ChildProcessError("\(name) takes no input") }
        try await io.write(stdinHandle.fileDescriptor, bytes, name: name)
    }

    /// Ends stdin, so the tool sees the end of its input.
    func closeInput() {
        try? stdinHandle?.close()
    }

    /// Waits for the exit and returns its status (128 + signal for a killed process).
    func wait() async -> Int32 {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                self.process.waitUntilExit()
                // Let the stderr thread take the last lines before anyone reads them.
                for _ in 0..<200 where !self.stderr.isFinished { usleep(5_000) }
                let status = self.process.terminationReason == .uncaughtSignal ? 128 + self.process.terminationStatus : self.process.terminationStatus
                continuation.resume(returning: status)
            }
        }
    }

    /// Stops the tool (SIGTERM): for a backup or restore that failed or was cancelled.
    func terminate() {
        if process.isRunning { process.terminate() }
    }

    /// The last of stderr, as text, with the secrets replaced by `***`.
    var errorOutput: String {
        var text = String(decoding: stderr.bytes, as: UTF8.self)
        for secret in redacting { text = text.replacingOccurrences(of: secret, with: "***") }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The error for a non-zero exit: the tool, the status and its last stderr lines.
    func failure(status: Int32) -> ChildProcessError {
        let lines = errorOutput.split(separator: "\n").suffix(5).joined(separator: "; ")
        return ChildProcessError("\(name) exited with status \(status)" + (lines.isEmpty ? "" : ": \(lines)"))
    }

    private static func resolve(_ executable: String) -> String? {
        if executable.contains("/") { return FileManager.default.isExecutableFile(atPath: executable) ? executable : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(executable)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// The last bytes a tool wrote to stderr, filled by its reader thread.
private final class StderrTail: Sendable {
    private let state = Mutex<(bytes: [UInt8], isFinished: Bool)>(([], false))

    func append(_ data: [UInt8], limit: Int) {
        state.withLock { state in
            state.bytes += data
            if state.bytes.count > limit { state.bytes.removeFirst(state.bytes.count - limit) }
        }
    }

    func finish() {
        state.withLock { $0.isFinished = true }
    }

    var bytes: [UInt8] { state.withLock { $0.bytes } }
    var isFinished: Bool { state.withLock { $0.isFinished } }
}

/// A tool that failed to start or exited non-zero.
public struct ChildProcessError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Blocking pipe reads and writes on a serial queue of their own (see `FileIOExecutor`).
private actor PipeIO {
    private let executor: FileIOExecutor
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    init(label: String) {
        executor = FileIOExecutor(label: label)
    }

    func read(_ fd: Int32, maxCount: Int) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: maxCount)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, maxCount) }
            if count >= 0 {
                buffer.removeLast(maxCount - count)
                return buffer
            }
            if errno != EINTR { throw ChildProcessError("reading a tool's output failed: errno \(errno)") }
        }
    }

    func write(_ fd: Int32, _ bytes: [UInt8], name: String) throws {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ChildProcessError(errno == EPIPE ? "\(name) stopped reading its input" : "writing to \(name) failed: errno \(errno)")
            }
            offset += count
        }
    }
}
