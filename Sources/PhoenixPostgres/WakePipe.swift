import Glibc

/// A self-pipe that interrupts a thread blocked in `poll(2)` on a libpq socket.
///
/// `PostgresConnection` polls its socket while connecting and while waiting for notifications; a
/// task cancellation handler or `close()` writes one byte here from another thread to wake it.
/// A stale byte only causes one spurious wake-up, after which the waiter re-checks and polls again.
final class WakePipe: Sendable {
    /// What ended a wait.
    enum Outcome: Equatable {
        case ready
        case timedOut
        case woken
    }

    private let readEnd: Int32
    private let writeEnd: Int32

    init() throws(PostgresError) {
        // pipe2(2) is not exported by Swift's Glibc module (it needs _GNU_SOURCE): pipe + fcntl.
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else {
            throw PostgresError(.connectionFailed, operation: "pipe", message: "errno \(errno)")
        }
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        readEnd = fds[0]
        writeEnd = fds[1]
    }

    deinit {
        close(readEnd)
        close(writeEnd)
    }

    /// Wakes the current or next `wait`. Safe from any thread (a single `write(2)`).
    func signal() {
        var byte: UInt8 = 1
        // EAGAIN means the pipe is full, so a wake-up is already pending: nothing to do.
        _ = write(writeEnd, &byte, 1)
    }

    /// Blocks until `socket` has `events`, the deadline passes, or `signal()` is called.
    /// - Parameter deadline: nil waits without a time limit.
    func wait(socket: Int32, events: Int16, until deadline: ContinuousClock.Instant?) throws(PostgresError) -> Outcome {
        while true {
            var fds = [
                pollfd(fd: socket, events: events, revents: 0),
                pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0),
            ]
            let timeout = deadline.map { Self.milliseconds(until: $0) } ?? -1
            let count = poll(&fds, 2, timeout)
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                throw PostgresError(.connectionLost, operation: "poll", message: "errno \(code)")
            }
            if fds[1].revents != 0 {
                drain()
                return .woken
            }
            // POLLERR/POLLHUP also count as ready: the next libpq call reads the error.
            if fds[0].revents != 0 { return .ready }
            if count == 0, timeout >= 0 { return .timedOut }
        }
    }

    private func drain() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(readEnd, &buffer, buffer.count) > 0 {}
    }

    /// Milliseconds until `deadline`, rounded up so a wait never ends early; 0 once it has passed.
    private static func milliseconds(until deadline: ContinuousClock.Instant) -> Int32 {
        let remaining = ContinuousClock.now.duration(to: deadline)
        guard remaining > .zero else { return 0 }
        let (seconds, attoseconds) = remaining.components
        let millis = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: millis)
    }
}
