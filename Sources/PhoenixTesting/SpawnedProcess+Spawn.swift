import CLinuxSystem
import Glibc

extension SpawnedProcess {
    /// `posix_spawnp` with `streams` setting up fds 0 to 2 and every other descriptor closed in
    /// the child; default handling for the signals a test process may ignore (SIGPIPE) and an
    /// empty signal mask (a spawn from a Dispatch worker would otherwise pass its blocked mask
    /// on, and SIGTERM would never arrive).
    static func spawn(_ executable: String, _ arguments: [String], environment: [String],
                      streams: (inout posix_spawn_file_actions_t) -> Void) -> (Int32, pid_t) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        streams(&actions)
        let closing = phx_spawn_close_from(&actions, 3)
        guard closing == 0 else { return (closing, 0) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGCHLD] { sigaddset(&defaults, signal) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        var pid: pid_t = 0
        let result = withCStrings([executable] + arguments) { argv in
            withCStrings(environment) { envp in posix_spawnp(&pid, executable, &actions, &attributes, argv, envp) }
        }
        return (result, pid)
    }

    /// Points the child's `fd` at `destination`.
    static func route(_ destination: Destination, to fd: Int32, pipe: (read: Int32, write: Int32)?,
                      in actions: inout posix_spawn_file_actions_t) {
        switch destination {
        case .discarded:
            posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", O_WRONLY, 0)
        case .pipe:
            if let pipe { posix_spawn_file_actions_adddup2(&actions, pipe.write, fd) }
        case .file(let path):
            posix_spawn_file_actions_addopen(&actions, fd, path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        case .inherited:
            break
        }
    }

    /// A close-on-exec pipe when `destination` is `.pipe`; the child gets its write end through
    /// dup2, which clears the flag on the copy only.
    static func pipe(if destination: Destination) throws(SpawnError) -> (read: Int32, write: Int32)? {
        guard case .pipe = destination else { return nil }
        var fds: [Int32] = [0, 0]
        guard phx_pipe_cloexec(&fds) == 0 else { throw SpawnError("cannot create a pipe: \(String(cString: strerror(errno)))") }
        return (fds[0], fds[1])
    }

    private static func withCStrings<T>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> T) -> T {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for pointer in pointers { free(pointer) } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
