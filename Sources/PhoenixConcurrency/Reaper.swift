import Foundation
import Glibc
import Synchronization

/// Reaps one child exactly once, on a thread of its own (waitpid blocks), and signals it only
/// while it has not been reaped, so a signal can never reach a process that reused its pid.
/// pid_max is 32768 on these machines and a test run spawns thousands of processes, so a pid
/// does come round again within a run.
public final class Reaper: Sendable {
    private let pid: pid_t
    private let state = Mutex<(raw: Int32?, waiters: [CheckedContinuation<Void, Never>])>((nil, []))

    public init(pid: pid_t) {
        self.pid = pid
    }

    /// The wait status once reaped (-1 if someone else reaped it), nil before.
    public var rawStatus: Int32? { state.withLock { $0.raw } }

    public func start() {
        // The thread keeps this object alive until the child is reaped, after its owner is gone.
        Thread.detachNewThread { [self] in
            // Wait without reaping first, then reap under the lock `signal` takes: between the
            // exit and the reap the pid is still ours, so a signal sent then does no harm.
            var info = siginfo_t()
            while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) < 0 && errno == EINTR {}
            let waiters = state.withLock { state in
                var raw: Int32 = 0
                var reaped: pid_t = -1
                repeat { reaped = waitpid(pid, &raw, 0) } while reaped < 0 && errno == EINTR
                state.raw = reaped == pid ? raw : -1
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.resume() }
        }
    }

    public func signal(_ signal: Int32) {
        state.withLock { state in
            if state.raw == nil { _ = Glibc.kill(pid, signal) }
        }
    }

    public func wait() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state in
                if state.raw != nil { return true }
                state.waiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }
}
