import Synchronization

/// One process launch at a time in this process. Foundation's `Process.run` on Linux walks the
/// open descriptors and copies the environment while it spawns; another thread creating pipes
/// and spawning at the same moment crashed it in a parallel test run. The tools' `ChildProcess`
/// takes this lock (the tests' `SpawnedProcess` needs none: its pipes are made close-on-exec
/// atomically, and its children close every other descriptor).
public enum ProcessLaunch {
    private static let lock = Mutex(())

    public static func serialized<T>(_ body: () throws -> T) rethrows -> T {
        try lock.withLock { _ in try body() }
    }
}
