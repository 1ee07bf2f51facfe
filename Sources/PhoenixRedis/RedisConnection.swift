import Logging
import PhoenixConcurrency

/// One Redis connection over hiredis 0.14, in blocking mode.
///
/// The actor's executor is a serial `DispatchQueue` of its own, so hiredis' blocking calls run on
/// that queue's thread, never on the cooperative pool. The `redisContext` is freed exactly once:
/// by `close()`, after a failed call, or when the connection is deinitialised.
///
/// ```swift
/// let endpoint = try RedisEndpoint(address: "127.0.0.1:6379", password: secret)
/// let connection = try await RedisConnection.connect(endpoint, logger: logger)
/// let payload = try await connection.command([Array("DUMP".utf8), key]).bytes
/// await connection.close()
/// ```
///
/// A failed call (timeout, lost connection, protocol error) closes the connection and later
/// calls throw `.closed`: after a timeout the late reply could still arrive and would be read as
/// the answer to the next command. An error *reply* (`WRONGTYPE ...`) is a `RedisValue.error`
/// and leaves the connection open.
///
/// Cancellation is checked before each call (and between pipeline batches); a call already sent
/// runs until its reply or the command timeout, since blocking hiredis cannot be interrupted.
///
/// hiredis 0.14 writes with `write(2)`, not `send(MSG_NOSIGNAL)`: the process must ignore
/// SIGPIPE (`ResourceLimits.ignoreBrokenPipe()`, which `phoenix-dr serve` calls at start).
public actor RedisConnection {
    /// Commands sent per round trip in `pipeline(_:)`: bounds hiredis' output buffer and the
    /// server's reply buffer for this client, and gives cancellation a point to be noticed.
    static let pipelineBatchSize = 1_000

    private let executor: DispatchQueueExecutor
    /// Nil once closed. Never handed out: raw pointers stay inside this module.
    var handle: RedisContextHandle?
    let logger: Logger

    /// The serial queue executor that keeps hiredis off the cooperative pool.
    public nonisolated var unownedExecutor: UnownedSerialExecutor {
        executor.asUnownedSerialExecutor()
    }

    private init(logger: Logger) {
        self.executor = DispatchQueueExecutor(label: "phoenix.redis.connection")
        self.logger = logger
    }

    /// Connects (`redisConnectWithTimeout`), sets the command timeout (`redisSetTimeout`) and,
    /// when the endpoint has a password or a username, authenticates with AUTH.
    /// - Parameters:
    ///   - endpoint: The server and credentials. The password is never logged nor put in errors.
    ///   - logger: Receives `debug` lines (connected, failed call, closed).
    /// - Throws: `.connectFailed`, `.authFailed` (`WRONGPASS`/`NOAUTH`), `.serverError` (another
    ///   error reply to AUTH), `.timeout`, `.connectionLost` or `.cancelled`.
    public static func connect(_ endpoint: RedisEndpoint, logger: Logger) async throws(RedisError) -> RedisConnection {
        var logger = logger
        logger[metadataKey: LogKeys.peerAddress] = "\(endpoint.host):\(endpoint.port)"
        let connection = RedisConnection(logger: logger)
        try await connection.open(endpoint)
        return connection
    }

    // MARK: - Commands

    /// Sends one command and returns its reply. Every argument is sent as bytes, so keys and
    /// values may hold any byte.
    /// - Returns: The reply; a server error reply is `.error(...)`, not thrown.
    /// - Throws: `.timeout`, `.connectionLost`, `.protocolError` (also for an empty command),
    ///   `.cancelled` or `.closed`.
    public func command(_ arguments: [[UInt8]]) async throws(RedisError) -> RedisValue {
        let handle = try readyHandle(for: [arguments], operation: "redisCommandArgv")
        return try closingOnFailure { () throws(RedisError) in try handle.command(RedisArguments(arguments)) }
    }

    /// Sends one command given as text arguments (UTF-8); see `command(_:)` with byte arguments.
    public func command(_ arguments: String...) async throws(RedisError) -> RedisValue {
        try await command(arguments.map { Array($0.utf8) })
    }

    /// Sends every command, then reads every reply, in order (`redisAppendCommandArgv`, then
    /// `redisGetReply` for each), in round trips of `1,000` commands.
    ///
    /// If the task is cancelled between round trips, the commands already sent have run.
    /// - Returns: One reply per command, in order; failed commands are `.error(...)` replies.
    /// - Throws: as `command(_:)`; any failure but `.cancelled` closes the connection.
    public func pipeline(_ commands: [[[UInt8]]]) async throws(RedisError) -> [RedisValue] {
        let handle = try readyHandle(for: commands, operation: "redisAppendCommandArgv")
        var replies: [RedisValue] = []
        replies.reserveCapacity(commands.count)
        for start in stride(from: 0, to: commands.count, by: Self.pipelineBatchSize) {
            if start > 0 { try checkCancellation(operation: "redisAppendCommandArgv") }
            let batch = commands[start..<min(start + Self.pipelineBatchSize, commands.count)]
            try closingOnFailure { () throws(RedisError) in
                for command in batch { try handle.append(RedisArguments(command)) }
                for _ in batch { replies.append(try handle.nextReply()) }
            }
        }
        return replies
    }

    // MARK: - Closing

    /// Closes the connection (`redisFree`). Safe to call more than once; later calls throw
    /// `.closed`. Waits for a call in progress to finish first.
    public nonisolated func close() async {
        await closeHandle()
    }

    func closeHandle() {
        guard handle != nil else { return }
        handle = nil
        logger.debug("redis connection closed")
    }

    // MARK: - Helpers

    /// The open handle, after checking cancellation and that no command is empty (hiredis would
    /// send `*0\r\n`, which Redis ignores without a reply, and the read would wait for the timeout).
    private func readyHandle(for commands: [[[UInt8]]], operation: String) throws(RedisError) -> RedisContextHandle {
        guard let handle else { throw RedisError(.closed, operation: operation) }
        guard !commands.contains(where: \.isEmpty) else {
            throw RedisError(.protocolError, operation: operation, message: "empty command")
        }
        try checkCancellation(operation: operation)
        return handle
    }

    func checkCancellation(operation: String) throws(RedisError) {
        if Task.isCancelled { throw RedisError(.cancelled, operation: operation) }
    }

    /// Runs `body`; when it throws, closes the connection, whose state is then unknown (a reply
    /// may be pending or the socket gone), and rethrows.
    func closingOnFailure<R>(_ body: () throws(RedisError) -> R) throws(RedisError) -> R {
        do {
            return try body()
        } catch {
            var log = logger
            log[metadataKey: LogKeys.errorType] = "\(error.code)"
            log[metadataKey: LogKeys.operation] = "\(error.operation)"
            log.debug("redis call failed")
            closeHandle()
            throw error
        }
    }
}
