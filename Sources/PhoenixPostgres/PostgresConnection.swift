import CLibPQ
import Glibc
import Logging
import PhoenixConcurrency
import Synchronization

/// One PostgreSQL connection over libpq.
///
/// The actor's executor is a serial `DispatchQueue` of its own, so libpq's blocking calls run on
/// that queue's thread, never on the cooperative pool. Cancelling the calling task cancels a
/// running statement with `PQcancel`. The `PGconn` is freed exactly once: by `close()`, or when the
/// connection is deinitialised.
///
/// ```swift
/// let connection = try await PostgresConnection.connect(
///     "postgresql://phoenix@db.internal:5432/catalog", connectTimeout: .seconds(5), logger: logger)
/// let rows = try await connection.query("SELECT name FROM datasets WHERE tier = $1", [.text("gold")])
/// await connection.close()
/// ```
///
/// Statements from several tasks are serialised, but they share one session: keep a connection to
/// one task at a time while it holds a transaction (`PostgresPool` does that).
public actor PostgresConnection {
    private let executor: DispatchQueueExecutor
    /// Wakes a `poll(2)` in `connect` or `waitForNotification` on cancellation or `close()`.
    let wake: WakePipe
    /// Set by `close()` before it waits for the actor, so a blocked wait can give up at once.
    let isClosing = Atomic<Bool>(false)
    /// `PQbackendPID` of the open session, 0 when there is none.
    let serverPID = Atomic<Int32>(0)
    /// Nil once closed. Never handed out: raw pointers stay inside this module.
    var handle: PGConnectionHandle?
    let logger: Logger

    /// The serial queue executor that keeps libpq off the cooperative pool.
    public nonisolated var unownedExecutor: UnownedSerialExecutor {
        executor.asUnownedSerialExecutor()
    }

    private init(logger: Logger) throws(PostgresError) {
        self.executor = DispatchQueueExecutor(label: "phoenix.postgres.connection")
        self.wake = try WakePipe()
        self.logger = logger
    }

    /// Opens a connection.
    /// - Parameters:
    ///   - url: A libpq connection URL or `key=value` string. It is never logged nor put in errors.
    ///     Its `connect_timeout` has no effect: the connection is made with `PQconnectPoll`.
    ///   - connectTimeout: The deadline for the whole handshake (TCP, TLS, authentication). Unlike
    ///     libpq's `connect_timeout` (whole seconds, at least 2) it may be shorter than a second.
    ///   - logger: Receives `debug` lines (connected, notices, closed).
    /// - Throws: `.connectionFailed` (refused, timed out, authentication failed) or `.cancelled`.
    public static func connect(
        _ url: String, connectTimeout: Duration = .seconds(10), logger: Logger
    ) async throws(PostgresError) -> PostgresConnection {
        let connection = try PostgresConnection(logger: logger)
        try await connection.open(url, deadline: .now + connectTimeout)
        return connection
    }

    // MARK: - Statements

    /// Runs one statement and returns its rows.
    /// - Parameters:
    ///   - sql: One statement, with parameters written `$1`, `$2`, ...
    ///   - parameters: The values for `$1`, `$2`, ..., sent separately from the SQL.
    /// - Throws: `.queryFailed` with `sqlState`, `.cancelled`, `.connectionLost`, `.connectionClosed`.
    @discardableResult
    public func query(_ sql: String, _ parameters: [PostgresValue] = []) async throws(PostgresError) -> PostgresRows {
        try await run(sql, parameters, isCancellable: true)
    }

    /// Runs one statement that returns no rows and returns how many rows it affected.
    /// - Throws: as `query(_:_:)`.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [PostgresValue] = []) async throws(PostgresError) -> Int {
        try await run(sql, parameters, isCancellable: true).affectedRows
    }

    // MARK: - State

    /// True while the connection is open and libpq reports `CONNECTION_OK`. A connection whose
    /// server went away only notices on its next statement.
    public var isHealthy: Bool { handle?.isOK ?? false }

    /// The server process id serving this connection (`pg_backend_pid()`), or nil once closed.
    /// Nonisolated, so it can be read while a statement runs (to cancel or watch it elsewhere).
    public nonisolated var backendPID: Int32? {
        let pid = serverPID.load(ordering: .acquiring)
        return pid == 0 ? nil : pid
    }

    /// Returns and forgets the notices (`RAISE NOTICE`, warnings) received so far, oldest first.
    /// At most `100` are kept; each one is also logged at `debug`.
    public func takeNotices() -> [String] { handle?.takeNotices() ?? [] }

    /// Closes the connection (`PQfinish`). Safe to call more than once; later statements throw
    /// `.connectionClosed`. A `waitForNotification` in progress returns at once with that error.
    public nonisolated func close() async {
        isClosing.store(true, ordering: .sequentiallyConsistent)
        wake.signal()
        await closeHandle()
    }

    /// Traps when not on the connection's queue: blocking libpq calls must never run elsewhere.
    func preconditionOnQueue() {
        executor.checkIsolated()
    }

    private func closeHandle() {
        guard handle != nil else { return }
        handle = nil
        serverPID.store(0, ordering: .releasing)
        logger.debug("postgres connection closed")
    }

    /// The open handle, or `.connectionClosed`.
    func liveHandle(operation: String) throws(PostgresError) -> PGConnectionHandle {
        guard let handle, !isClosing.load(ordering: .sequentiallyConsistent) else {
            throw PostgresError(.connectionClosed, operation: operation)
        }
        return handle
    }

    // MARK: - Running a statement

    /// Runs a statement; with `isCancellable` a cancelled task sends `PQcancel` (a `ROLLBACK`
    /// after a failure must still run when the task that failed was cancelled, so it passes false).
    func run(_ sql: String, _ parameters: [PostgresValue], isCancellable: Bool) async throws(PostgresError) -> PostgresRows {
        let handle = try liveHandle(operation: "PQexecParams")
        guard isCancellable else { return try finish(execute(handle, sql, parameters, canceller: nil)) }
        // libpq: the PGcancel is taken before the statement and used from another thread.
        guard let canceller = QueryCanceller(connection: handle.raw) else {
            throw handle.connectionError(operation: "PQgetCancel")
        }
        // The operation calls an isolated synchronous method without `await`, which only compiles
        // if the closure runs on this actor: the blocking call stays on the connection's queue.
        let result = await withTaskCancellationHandler {
            self.execute(handle, sql, parameters, canceller: canceller)
        } onCancel: {
            canceller.requestCancel()
        }
        return try finish(result)
    }

    /// The blocking part of `run`, on the connection's queue.
    private func execute(
        _ handle: PGConnectionHandle, _ sql: String, _ parameters: [PostgresValue], canceller: QueryCanceller?
    ) -> Result<PostgresRows, PostgresError> {
        preconditionOnQueue()
        guard let canceller else { return Result { () throws(PostgresError) in try handle.execute(sql, parameters) } }
        canceller.begin()
        // Checked after begin(): a cancellation before it saw nothing running and sent nothing.
        guard !Task.isCancelled else {
            _ = canceller.end()
            return .failure(PostgresError(.cancelled, operation: "PQexecParams"))
        }
        let result = Result { () throws(PostgresError) in try handle.execute(sql, parameters) }
        guard canceller.end(), case .failure(let error) = result, error.sqlState == "57014" else { return result }
        // 57014 query_canceled after our own PQcancel (a statement_timeout stays a queryFailed).
        return .failure(PostgresError(.cancelled, sqlState: error.sqlState, operation: error.operation, message: error.message))
    }

    private func finish(_ result: Result<PostgresRows, PostgresError>) throws(PostgresError) -> PostgresRows {
        if case .failure(let error) = result {
            var log = logger
            log[metadataKey: LogKeys.errorType] = "\(error.code)"
            log[metadataKey: LogKeys.sqlState] = "\(error.sqlState ?? "")"
            log.debug("postgres statement failed")
            // After an unsupported COPY the session is stuck in copy mode: it cannot be reused.
            if error.code == .protocolViolation { closeHandle() }
        }
        return try result.get()
    }
}

extension PostgresConnection {
    /// True when the connection can go back to a pool: open, `CONNECTION_OK`, no transaction open.
    var isReusable: Bool {
        guard let handle else { return false }
        return handle.isOK && handle.isIdle
    }

    /// Reads whatever the server sent while the connection sat idle, so a connection the server
    /// closed is noticed before a statement fails on it. `PQconsumeInput` returns after the bytes
    /// that are there (a terminated backend's FATAL message) and only sees the EOF behind them on
    /// a later call, hence the loop while the socket stays readable.
    func checkReusable() -> Bool {
        guard let handle else { return false }
        for _ in 0..<4 where handle.isOK {
            var socket = pollfd(fd: handle.socket, events: Int16(POLLIN), revents: 0)
            guard poll(&socket, 1, 0) > 0 else { break }
            guard PQconsumeInput(handle.raw) == 1 else { return false }
        }
        return isReusable
    }
}
