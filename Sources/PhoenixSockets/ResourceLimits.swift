import CLinuxSystem
import Glibc

/// Process-wide resource settings a server needs before it accepts connections.
public enum ResourceLimits {
    /// Raises the soft limit on open files to the hard limit and returns the new soft limit.
    ///
    /// The default soft limit (1,024) would cap a server at about a thousand connections.
    @discardableResult
    public static func raiseOpenFileLimit() -> UInt64 {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 0 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { return UInt64(raised.rlim_cur) }
        }
        return UInt64(limit.rlim_cur)
    }

    /// The current soft limit on open files.
    public static func openFileLimit() -> UInt64 {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 0 }
        return UInt64(limit.rlim_cur)
    }

    /// Tunes glibc's malloc for streams of 1 MiB buffers (see `phx_tune_malloc_for_streaming`).
    /// Call once at start, before threads.
    public static func tuneMallocForStreaming() {
        phx_tune_malloc_for_streaming(Int32(clamping: phx_usable_cpu_count()))
    }

    /// Returns freed heap to the kernel: after a burst of connections has passed, what they used
    /// would otherwise stay resident (the streaming tuning keeps up to 128 MiB of it).
    public static func releaseFreedMemory() {
        phx_release_freed_memory()
    }

    /// Ignores SIGPIPE for the whole process: a write to a closed socket or to a tool that
    /// exited (pg_restore) returns EPIPE instead.
    public static func ignoreBrokenPipe() {
        signal(SIGPIPE, SIG_IGN)
    }
}
