import Foundation
import Glibc
import PhoenixConcurrency
import Synchronization

/// A child process of a test (a tool, or a server that runs through the test), started with
/// `posix_spawnp`, never with Foundation's `Process`: on Linux, `Process.run()` walks
/// /proc/self/fd with a `readdir` copy that reads past the end of its buffer, and with the
/// thousand-odd sockets some suites hold open it crashed the test process now and then.
///
/// The child gets this process's whole environment (plus `environment`), stdin from /dev/null,
/// and no other descriptor of ours: fds 3 and up are closed in the child whether or not they are
/// close-on-exec (test sockets are not). It is reaped exactly once, by a thread of its own, and
/// killed (SIGKILL) if this object goes while it still runs, so no server outlives its test.
public final class SpawnedProcess: Sendable {
    /// Where the child's stdout or stderr goes.
    public enum Destination: Sendable {
        /// /dev/null.
        case discarded
        /// A pipe, read through `standardOutput` / `standardError`.
        case pipe
        /// A file, created or truncated.
        case file(String)
        /// The same stream as the test process's.
        case inherited
    }

    public let processIdentifier: pid_t
    /// The read end of the child's stdout, when that is `.pipe`.
    public let standardOutput: PipeReader?
    /// The read end of the child's stderr, when that is `.pipe`.
    public let standardError: PipeReader?
    private let reaper: Reaper

    /// Starts `executable` (a path, or a name looked up in PATH) with `arguments`.
    /// - Throws: `SpawnError` when a pipe cannot be made or the executable cannot be started.
    public init(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                stdout: Destination = .discarded, stderr: Destination = .discarded) throws(SpawnError) {
        let outputPipe = try Self.pipe(if: stdout)
        let errorPipe = try Self.pipe(if: stderr)
        let variables = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }.map { "\($0.key)=\($0.value)" }
        let (result, pid) = Self.spawn(executable, arguments, environment: variables) { actions in
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            Self.route(stdout, to: 1, pipe: outputPipe, in: &actions)
            Self.route(stderr, to: 2, pipe: errorPipe, in: &actions)
        }
        // The child has its copies of the write ends; ours must go, or no reader sees the end.
        for pipe in [outputPipe, errorPipe].compactMap({ $0 }) { close(pipe.write) }
        guard result == 0 else {
            for pipe in [outputPipe, errorPipe].compactMap({ $0 }) { close(pipe.read) }
            throw SpawnError("\(executable) could not be started: \(String(cString: strerror(result)))")
        }
        processIdentifier = pid
        standardOutput = outputPipe.map { PipeReader(fileDescriptor: $0.read) }
        standardError = errorPipe.map { PipeReader(fileDescriptor: $0.read) }
        reaper = Reaper(pid: pid)
        reaper.start()
    }

    deinit {
        reaper.signal(SIGKILL)
    }

    /// False once the child has exited and been reaped.
    public var isRunning: Bool { reaper.rawStatus == nil }

    /// After the exit: the exit status, or the number of the signal that killed the child (as
    /// Foundation's `Process` reports it); nil while it runs.
    public var terminationStatus: Int32? {
        guard let raw = reaper.rawStatus else { return nil }
        return raw & 0x7F == 0 ? (raw >> 8) & 0xFF : raw & 0x7F
    }

    /// True after an exit through exit(), false while running or after a kill by a signal.
    public var didExitNormally: Bool {
        guard let raw = reaper.rawStatus else { return false }
        return raw & 0x7F == 0
    }

    /// SIGTERM.
    public func terminate() {
        kill(SIGTERM)
    }

    /// Sends `signal` unless the child has already been reaped (its pid may belong to another
    /// process by then).
    public func kill(_ signal: Int32) {
        reaper.signal(signal)
    }

    /// Returns once the child has exited and been reaped.
    public func waitUntilExit() async {
        await reaper.wait()
    }
}

/// A child that could not be started.
public struct SpawnError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
