import Logging
import Synchronization

/// A small pool of `PostgresConnection`s: at most `maxConnections` open, callers beyond that wait
/// in FIFO order, and broken connections are closed instead of being handed out again.
///
/// ```swift
/// let pool = PostgresPool(url: url, maxConnections: 4, logger: logger)
/// let count = try await pool.withConnection { connection in
///     try await connection.query("SELECT count(*) AS n FROM jobs").first?.int("n")
/// }
/// await pool.close()
/// ```
///
/// A connection is checked when it is taken (a server that closed it is noticed without a failed
/// statement) and when it comes back: one that is not `CONNECTION_OK`, or that is still inside a
/// transaction, is closed and its slot freed.
public final class PostgresPool: Sendable {
    private let url: String
    private let connectTimeout: Duration
    private let logger: Logger
    typealias Waiter = CheckedContinuation<PoolLease<PostgresConnection>, any Error>
    typealias Machine = StateMachine<PostgresConnection, Waiter>

    private let state: Mutex<Machine>
    private let nextWaiterID = Atomic<Int>(0)

    /// Creates a pool; connections are opened on demand.
    /// - Parameters:
    ///   - url: The libpq connection URL for every connection. Never logged.
    ///   - maxConnections: The most connections open at once (at least 1).
    ///   - connectTimeout: The deadline for opening each connection.
    public init(url: String, maxConnections: Int, connectTimeout: Duration = .seconds(10), logger: Logger) {
        self.url = url
        self.connectTimeout = connectTimeout
        self.logger = logger
        self.state = Mutex(Machine(maxConnections: maxConnections))
    }

    /// The number of connections open now (idle, leased or being opened).
    public var openConnections: Int { state.withLock { $0.open } }

    /// Leases a connection for the duration of `body`, then returns it to the pool.
    /// - Throws: `body`'s error, or a `PostgresError` (`.connectionFailed`, `.cancelled` while
    ///   waiting, `.poolClosed`).
    public func withConnection<T>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        let connection = try await lease()
        let value: T
        do {
            value = try await body(connection)
        } catch {
            await release(connection)
            throw error
        }
        await release(connection)
        return value
    }

    /// Closes idle connections and fails waiting callers with `.poolClosed`; leased connections are
    /// closed when they come back.
    public func close() async {
        let (idle, waiters) = state.withLock { $0.shutdown() }
        for waiter in waiters { waiter.resume(throwing: PostgresError(.poolClosed, operation: "PostgresPool.close")) }
        for connection in idle { await connection.close() }
    }

    // MARK: - Lease and release

    private func lease() async throws -> PostgresConnection {
        while true {
            switch try await acquire() {
            case .connection(let connection):
                if await connection.checkReusable() { return connection }
                logger.debug("postgres pool dropped a broken idle connection")
                await release(connection)
            case .connect:
                do {
                    let connection = try await PostgresConnection.connect(url, connectTimeout: connectTimeout, logger: logger)
                    logger.debug("postgres pool opened a connection", metadata: [LogKeys.poolOpen: "\(openConnections)"])
                    return connection
                } catch {
                    if let next = state.withLock({ $0.connectFailed() }) { next.waiter.resume(returning: next.lease) }
                    throw error
                }
            }
        }
    }

    private func acquire() async throws -> PoolLease<PostgresConnection> {
        let id = nextWaiterID.wrappingAdd(1, ordering: .relaxed).newValue
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (waiter: Waiter) in
                // Task.isCancelled is read under the lock: a cancellation either sees this waiter
                // registered, or happened before and is seen here.
                let action = state.withLock { $0.lease(id: id, waiter: waiter, isCancelled: Task.isCancelled) }
                if case .resume(let waiter, let result) = action { waiter.resume(with: result) }
            }
        } onCancel: {
            let waiter = state.withLock { $0.cancel(id: id) }
            waiter?.resume(throwing: PostgresError(.cancelled, operation: "PostgresPool.lease"))
        }
    }

    private func release(_ connection: PostgresConnection) async {
        let isReusable = await connection.isReusable
        let action = state.withLock { $0.release(connection, isReusable: isReusable) }
        action.resume.map { $0.waiter.resume(returning: $0.lease) }
        if let broken = action.close {
            logger.debug("postgres pool closed a connection", metadata: [LogKeys.poolOpen: "\(openConnections)"])
            await broken.close()
        }
    }
}
