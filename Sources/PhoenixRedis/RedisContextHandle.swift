import CHiredis
import Glibc

/// The one owner of a hiredis `redisContext`: `deinit` calls `redisFree` exactly once.
///
/// Not Sendable: only its `RedisConnection` touches it, on that actor's serial queue. The context
/// is in hiredis' blocking mode, so every call here blocks until a reply, the socket timeout set
/// by `redisSetTimeout`, or an error.
final class RedisContextHandle {
    private let raw: UnsafeMutablePointer<redisContext>

    private init(raw: UnsafeMutablePointer<redisContext>) {
        self.raw = raw
    }

    deinit {
        redisFree(raw)
    }

    /// Connects with `redisConnectWithTimeout`, then sets the socket timeout for every later read
    /// and write with `redisSetTimeout`.
    /// - Throws: `.connectFailed` with hiredis' message (refused, timed out, unknown host).
    static func connect(
        host: String, port: Int, connectTimeout: Duration, commandTimeout: Duration
    ) throws(RedisError) -> RedisContextHandle {
        // hiredis 0.14 returns a context with `err` set for a failed connect; NULL only without memory.
        guard let raw = redisConnectWithTimeout(host, Int32(port), timeval(clamping: connectTimeout)) else {
            throw RedisError(.connectFailed, operation: "redisConnectWithTimeout", message: "out of memory")
        }
        // From here on `handle` owns the context: every throw below frees it in deinit.
        let handle = RedisContextHandle(raw: raw)
        guard raw.pointee.err == 0 else {
            throw RedisError(.connectFailed, operation: "redisConnectWithTimeout", message: handle.errorMessage)
        }
        guard redisSetTimeout(raw, timeval(clamping: commandTimeout)) == REDIS_OK else {
            throw RedisError(.connectFailed, operation: "redisSetTimeout", message: handle.errorMessage)
        }
        return handle
    }

    /// True once hiredis has flagged an error: it then refuses every later call on this context
    /// (`redisBufferRead` returns early when `c->err` is set), so the connection is done.
    var isBroken: Bool { raw.pointee.err != 0 }

    /// Sends one command and waits for its reply (`redisCommandArgv`).
    /// - Throws: `.timeout`, `.connectionLost` or `.protocolError`; an error reply is a value.
    func command(_ arguments: RedisArguments) throws(RedisError) -> RedisValue {
        // errno is read right after the call, before anything else can change it.
        let (reply, savedErrno) = arguments.withArgv { argc, argv, lengths in
            (phx_redis_command_argv(raw, argc, argv, lengths), errno)
        }
        guard let reply else { throw failure(operation: "redisCommandArgv", errno: savedErrno) }
        defer { freeReplyObject(reply) }
        return try RedisValue(copying: reply)
    }

    /// Queues one command in hiredis' output buffer without sending it (`redisAppendCommandArgv`).
    func append(_ arguments: RedisArguments) throws(RedisError) {
        let (status, savedErrno) = arguments.withArgv { argc, argv, lengths in
            (redisAppendCommandArgv(raw, argc, argv, lengths), errno)
        }
        guard status == REDIS_OK else { throw failure(operation: "redisAppendCommandArgv", errno: savedErrno) }
    }

    /// Flushes the output buffer if needed and reads the next reply (`redisGetReply`).
    func nextReply() throws(RedisError) -> RedisValue {
        var reply: UnsafeMutablePointer<redisReply>?
        let status = phx_redis_get_reply(raw, &reply)
        let savedErrno = errno
        guard status == REDIS_OK, let reply else { throw failure(operation: "redisGetReply", errno: savedErrno) }
        defer { freeReplyObject(reply) }
        return try RedisValue(copying: reply)
    }

    /// hiredis' message for the last error, from the context's fixed `errstr` buffer.
    var errorMessage: String {
        String(cString: phx_redis_context_errstr(raw))
    }

    /// Classifies the context's error flag.
    ///
    /// hiredis 0.14 has no `REDIS_ERR_TIMEOUT` (added in 1.0): a socket timeout is `REDIS_ERR_IO`
    /// with errno `EAGAIN` from the blocking `read`/`write`, which `SO_RCVTIMEO`/`SO_SNDTIMEO`
    /// produce (socket(7)). EOF, resets and everything else mean the connection is gone.
    private func failure(operation: String, errno savedErrno: Int32) -> RedisError {
        switch raw.pointee.err {
        case REDIS_ERR_IO where savedErrno == EAGAIN || savedErrno == EWOULDBLOCK:
            RedisError(.timeout, operation: operation, message: "no reply within the command timeout")
        case REDIS_ERR_PROTOCOL:
            RedisError(.protocolError, operation: operation, message: errorMessage)
        case 0:
            // Not expected in blocking mode: a NULL reply always comes with an error flag.
            RedisError(.protocolError, operation: operation, message: "no reply and no error")
        default:
            RedisError(.connectionLost, operation: operation, message: errorMessage)
        }
    }
}
