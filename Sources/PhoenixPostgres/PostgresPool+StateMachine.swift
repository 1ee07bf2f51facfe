extension PostgresPool {
    /// The pool's bookkeeping as a value: every event returns the actions to perform once the lock
    /// is released (STYLE.md: lock → decide → unlock → act). Generic over the connection and the
    /// waiter so tests can drive it with plain values. Invariant: `open` counts idle, leased and
    /// connecting connections, and never exceeds `maxConnections`.
    struct StateMachine<Connection, Waiter> {
        typealias Lease = PoolLease<Connection>

        /// What `lease` does next.
        enum LeaseAction {
            case resume(Waiter, Result<Lease, PostgresError>)
            case wait
        }

        /// What `release` does next: close a connection, hand something to a waiter, or both.
        struct ReleaseAction {
            var close: Connection?
            var resume: (waiter: Waiter, lease: Lease)?
        }

        let maxConnections: Int
        private(set) var idle: [Connection] = []
        private(set) var open = 0
        private(set) var waiters: [(id: Int, waiter: Waiter)] = []
        private(set) var isClosed = false

        init(maxConnections: Int) {
            self.maxConnections = max(1, maxConnections)
        }

        /// A caller wants a connection; `isCancelled` is read under the same lock as `cancel`.
        mutating func lease(id: Int, waiter: Waiter, isCancelled: Bool) -> LeaseAction {
            if isClosed { return .resume(waiter, .failure(PostgresError(.poolClosed, operation: "PostgresPool.lease"))) }
            if isCancelled { return .resume(waiter, .failure(PostgresError(.cancelled, operation: "PostgresPool.lease"))) }
            if let connection = idle.popLast() { return .resume(waiter, .success(.connection(connection))) }
            if open < maxConnections {
                open += 1
                return .resume(waiter, .success(.connect))
            }
            waiters.append((id, waiter))
            return .wait
        }

        /// The task waiting as `id` was cancelled; returns its waiter if it still waits.
        mutating func cancel(id: Int) -> Waiter? {
            guard let index = waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return waiters.remove(at: index).waiter
        }

        /// A leased connection comes back; a broken one is closed and its slot passed on.
        mutating func release(_ connection: Connection, isReusable: Bool) -> ReleaseAction {
            guard isReusable, !isClosed else {
                open -= 1
                return ReleaseAction(close: connection, resume: passSlotToWaiter())
            }
            guard !waiters.isEmpty else {
                idle.append(connection)
                return ReleaseAction()
            }
            return ReleaseAction(resume: (waiters.removeFirst().waiter, .connection(connection)))
        }

        /// Opening a connection for a reserved slot failed; the next waiter gets to try.
        mutating func connectFailed() -> (waiter: Waiter, lease: Lease)? {
            open -= 1
            return passSlotToWaiter()
        }

        private mutating func passSlotToWaiter() -> (waiter: Waiter, lease: Lease)? {
            guard !isClosed, !waiters.isEmpty else { return nil }
            open += 1
            return (waiters.removeFirst().waiter, .connect)
        }

        /// The pool shuts down: the idle connections to close and the waiters to fail.
        mutating func shutdown() -> (close: [Connection], fail: [Waiter]) {
            isClosed = true
            let result = (idle, waiters.map(\.waiter))
            open -= idle.count
            idle.removeAll()
            waiters.removeAll()
            return result
        }
    }
}

/// What a pool lease is granted with.
enum PoolLease<Connection> {
    /// An open connection, idle or handed over by `release`.
    case connection(Connection)
    /// A slot is reserved for the caller, who opens the connection itself.
    case connect
}

extension PoolLease: Sendable where Connection: Sendable {}
