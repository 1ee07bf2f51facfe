import Foundation
import PhoenixConcurrency
import PhoenixDomain
import Synchronization

/// A tool we run (`pg_dump`, `pg_restore`, `psql`, a start command): its stdout read and its
/// stdin written in pieces off the cooperative pool, its stderr kept (the last 64 KiB) for the
/// job's error.
///
/// Spawned with `posix_spawn` over close-on-exec pipes rather than Foundation's `Process`, which
/// on Linux lets its pipe descriptors leak into the child: a start command that leaves a daemon
/// running (`redis-server &`) then holds our pipe open forever and its end never comes.
///
/// Secrets go in `environment` (PGPASSWORD), never in `arguments`, which any local user can read
/// in /proc; `redacting` strings are replaced in the stderr a caller sees all the same.
final class ChildProcess: Sendable {
    let name: String
    private let stdinFD: Mutex<Int32>
    private let stdoutFD: Int32
    private let io: PipeIO
    private let stderr = StderrTail()
    private let redacting: [String]
    private let reaper: Reaper
    private let exitStatus = Mutex<Int32?>(nil)
    private static let stderrLimit = 64 * 1024
    /// `F_SETPIPE_SZ`, which Glibc's module leaves out (it is `_GNU_SOURCE`-only).
    private static let setPipeSize: Int32 = 1031

    /// Starts `executable` (a path, or a name looked up in PATH).
    /// - Throws: `ChildProcessError` when it cannot be started.
    init(_ executable: String, arguments: [String], environment: [String: String] = [:], redacting: [String] = [],
         feedsStdin: Bool = false) throws {
        name = (executable as NSString).lastPathComponent
        self.redacting = redacting.filter { !$0.isEmpty }
        guard let path = Self.resolve(executable) else { throw ChildProcessError("\(name) is not installed (not found in PATH)") }
        let (result, spawned, input, output, errors) = try ProcessLaunch.serialized {
            let spawned = try Self.spawnWithPipes(path: path, arguments: arguments, environment: environment, feedsStdin: feedsStdin)
            // The child has its ends; ours of them must close, or the reader never sees the end.
            if let input = spawned.2 { close(input.read) }
            close(spawned.3.write)
            close(spawned.4.write)
            return spawned
        }
        guard result == 0 else {
            if let input { close(input.write) }
            close(output.read)
            close(errors.read)
            throw ChildProcessError("\(name) could not be started: \(String(cString: strerror(result)))")
        }
        reaper = Reaper(pid: spawned)
        reaper.start()
        stdinFD = Mutex(input?.write ?? -1)
        stdoutFD = output.read
        // pg_dump writes its stdout 4 KiB at a time: with the default 64 KiB pipe it stalls
        // whenever we are a moment late; 1 MiB (the unprivileged maximum) rides that out.
        // A refusal only costs speed.
        _ = fcntl(output.read, Self.setPipeSize, Int32(1 << 20))
        if let input { _ = fcntl(input.write, Self.setPipeSize, Int32(1 << 20)) }
        io = PipeIO(label: "phoenix.process.\(name)")
        // stderr is drained on a thread of its own, so a chatty tool never blocks on a full pipe.
        let errorFD = errors.read
        Thread.detachNewThread { [stderr] in
            var chunk = [UInt8](repeating: 0, count: 16 * 1024)
            while true {
                let count = chunk.withUnsafeMutableBytes { Glibc.read(errorFD, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { break }
                stderr.append(Array(chunk[0..<count]), limit: Self.stderrLimit)
            }
            close(errorFD)
            stderr.finish()
        }
    }

    deinit {
        close(stdoutFD)
        closeInput()
        // Dropped before its exit was awaited (a read failed): stop it, so no tool keeps
        // running; the reaper's thread reaps it.
        reaper.signal(SIGKILL)
    }

    /// Runs `command` with `/bin/sh -c`, its output into `logFile` rather than a pipe, and
    /// returns its exit status. For start commands: a daemon they leave running keeps whatever
    /// it inherited as stdout, and a pipe of ours would then never end.
    static func runShell(_ command: String, logFile: String) async throws -> Int32 {
        let (result, pid) = ProcessLaunch.serialized {
            spawn(path: "/bin/sh", arguments: ["-c", command], environment: [:]) { actions in
                posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
                posix_spawn_file_actions_addopen(&actions, 1, logFile, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
                posix_spawn_file_actions_adddup2(&actions, 1, 2)
            }
        }
        guard result == 0 else { throw ChildProcessError("the start command could not be run: \(String(cString: strerror(result)))") }
        let reaper = Reaper(pid: pid)
        reaper.start()
        await reaper.wait()
        return status(of: reaper)
    }

    /// The tool with pipes for its standard streams (stdin only when `feedsStdin`).
    private static func spawnWithPipes(path: String, arguments: [String], environment: [String: String], feedsStdin: Bool) throws
        -> (Int32, pid_t, (read: Int32, write: Int32)?, (read: Int32, write: Int32), (read: Int32, write: Int32)) {
        let input = feedsStdin ? try pipe() : nil
        let output = try pipe()
        let errors = try pipe()
        let (result, spawned) = spawn(path: path, arguments: arguments, environment: environment) { actions in
            if let input {
                posix_spawn_file_actions_adddup2(&actions, input.read, 0)
            } else {
                posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            }
            posix_spawn_file_actions_adddup2(&actions, output.write, 1)
            posix_spawn_file_actions_adddup2(&actions, errors.write, 2)
        }
        return (result, spawned, input, output, errors)
    }

    /// `posix_spawn` with `streams` setting up fds 0 to 2, default signal handling and an empty
    /// signal mask (we ignore SIGPIPE, pg_dump must not), and an allow-listed environment: ours
    /// may hold the artifact keyring (`encryption.keyring_env`) and tokens no tool has use for.
    private static func spawn(path: String, arguments: [String], environment: [String: String],
                              streams: (inout posix_spawn_file_actions_t) -> Void) -> (Int32, pid_t) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        streams(&actions)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let inherited = ProcessInfo.processInfo.environment.filter { name, _ in
            ["PATH", "HOME", "USER", "LANG", "TZ", "TMPDIR"].contains(name) || name.hasPrefix("LC_")
                || (name.hasPrefix("PG") && name != "PGPASSWORD")
        }
        let variables = inherited.merging(environment) { _, new in new }.map { "\($0.key)=\($0.value)" }
        var spawned: pid_t = 0
        let result = withCStrings([path] + arguments) { argv in
            withCStrings(variables) { envp in posix_spawn(&spawned, path, &actions, &attributes, argv, envp) }
        }
        return (result, spawned)
    }

    /// The exit status of a reaped child, 128 + signal when killed. Reaped elsewhere (-1): the
    /// status is unknown, and unknown is not success.
    private static func status(of reaper: Reaper) -> Int32 {
        let raw = reaper.rawStatus ?? -1
        if raw < 0 { return 255 }
        let signal = raw & 0x7F
        return signal == 0 ? (raw >> 8) & 0xFF : 128 + signal
    }

    /// A pipe whose ends close on exec. Glibc's module has no `pipe2`: `pipe` then `fcntl`, under
    /// `ProcessLaunch`, so no spawn of ours runs between the two.
    private static func pipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        guard Glibc.pipe(&fds) == 0 else { throw ChildProcessError("cannot create a pipe: \(String(cString: strerror(errno)))") }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return (fds[0], fds[1])
    }

    private static func withCStrings<T>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> T) -> T {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for pointer in pointers { free(pointer) } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    /// The next `maxCount` bytes of stdout, fewer only at its end; empty once it has ended.
    /// Filled rather than one `read` each: tools write a few KiB at a time, and a hop through
    /// our queue for each costs more than the bytes. Reads and writes share one queue, so a
    /// caller must not wait here for output that needs more of its input first.
    func read(maxCount: Int) async throws -> [UInt8] {
        try await io.read(stdoutFD, maxCount: maxCount)
    }

    /// Writes all of `bytes` to stdin; throws if the tool has closed it (it exited early).
    func write(_ bytes: [UInt8]) async throws {
        let fd = stdinFD.withLock { $0 }
        guard fd >= 0 else { throw ChildProcessError("\(name) takes no more input") }
        try await io.write(fd, bytes, name: name)
    }

    /// Ends stdin, so the tool sees the end of its input.
    func closeInput() {
        let fd = stdinFD.withLock { fd in
            defer { fd = -1 }
            return fd
        }
        if fd >= 0 { close(fd) }
    }

    /// Waits for the exit and returns its status (128 + signal for a killed process).
    func wait() async -> Int32 {
        if let status = exitStatus.withLock({ $0 }) { return status }
        await reaper.wait()
        // Let the stderr thread take the last lines before anyone reads them (a grandchild
        // that inherited stderr may keep it open: then a second is all it gets). On a thread of
        // its own, not a Task.sleep: a cancelled job's error needs those lines all the more.
        let stderr = stderr
        if !stderr.isFinished {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                Thread.detachNewThread {
                    for _ in 0..<200 where !stderr.isFinished { usleep(5_000) }
                    continuation.resume()
                }
            }
        }
        let status = Self.status(of: reaper)
        exitStatus.withLock { $0 = status }
        return status
    }

    /// True once the tool has exited and been reaped.
    var hasExited: Bool { reaper.rawStatus != nil }

    /// Stops the tool (SIGTERM): for a backup or restore that failed or was cancelled. A no-op
    /// once it has been reaped, when its pid may already be another process's.
    func terminate() {
        reaper.signal(SIGTERM)
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

/// Blocking pipe reads and writes on a serial queue of their own (see `DispatchQueueExecutor`).
private actor PipeIO {
    private let executor: DispatchQueueExecutor
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    init(label: String) {
        executor = DispatchQueueExecutor(label: label)
    }

    /// Reads until `maxCount` bytes or the end, into memory that is not zeroed first.
    func read(_ fd: Int32, maxCount: Int) throws -> [UInt8] {
        try [UInt8](unsafeUninitializedCapacity: maxCount) { buffer, filled in
            while filled < maxCount {
                let count = Glibc.read(fd, buffer.baseAddress! + filled, maxCount - filled)
                if count > 0 {
                    filled += count
                } else if count == 0 {
                    return
                } else if errno != EINTR {
                    throw ChildProcessError("reading a tool's output failed: errno \(errno)")
                }
            }
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
