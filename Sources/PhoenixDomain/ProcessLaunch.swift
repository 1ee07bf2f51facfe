import Synchronization

/// One process launch at a time in this process. Foundation's `Process.run` on Linux walks the
/// open descriptors and copies the environment while it spawns; another thread creating pipes
/// and spawning at the same moment crashed it in a parallel test run. Every launcher of ours
/// (the tools' `ChildProcess`, the tests' `ProcessRunner`) takes this lock.
public enum ProcessLaunch {
    private static let lock = Mutex(())

    public static func serialized<T>(_ body: () throws -> T) rethrows -> T {
        try lock.withLock { _ in try body() }
    }
}
