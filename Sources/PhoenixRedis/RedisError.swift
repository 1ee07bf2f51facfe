/// The one error type of `PhoenixRedis`.
///
/// `description` is safe to show an API client: it names the failure class only, never the
/// server's message, a key, or a credential. `debugDescription` adds the operation and the
/// server's or hiredis's message, for logs. Neither ever contains the password: AUTH is sent as
/// binary arguments and no error message is built from them.
///
/// A server error reply to an ordinary command (`WRONGTYPE`, `ERR ...`) is not thrown: it comes
/// back as `RedisValue.error`.
public struct RedisError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The class of failure. The set grows, so switch over it with a `default` case.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// A short stable name such as `"connectionLost"`.
        public let rawValue: String

        /// Wraps a raw name; prefer the static members.
        public init(_ rawValue: String) { self.rawValue = rawValue }

        /// The connection could not be made (bad address, refused, connect timeout).
        public static let connectFailed = Code("connectFailed")
        /// The server rejected the credentials (`WRONGPASS`, `NOAUTH`) or wants some and got none.
        public static let authFailed = Code("authFailed")
        /// The server did not answer within the command timeout; the connection is closed.
        public static let timeout = Code("timeout")
        /// The connection broke (reset, closed by the server, `CLIENT KILL`); it is closed.
        public static let connectionLost = Code("connectionLost")
        /// The server sent bytes that are not RESP, or a command could not be sent as given.
        public static let protocolError = Code("protocolError")
        /// The server refused a step this client needs (an unexpected error reply to AUTH).
        public static let serverError = Code("serverError")
        /// The calling task was cancelled before the call was sent.
        public static let cancelled = Code("cancelled")
        /// The connection was closed by `close()` or after an earlier failure.
        public static let closed = Code("closed")

        /// The raw name.
        public var description: String { rawValue }
    }

    /// The class of failure.
    public let code: Code
    /// The hiredis call or step that failed (`"redisCommandArgv"`, `"AUTH"`).
    public let operation: String
    /// The server's or hiredis's message. Only for logs.
    public let message: String
    /// Where the error was created.
    public let file: String
    /// Where the error was created.
    public let line: Int

    /// Creates an error; `file` and `line` default to the call site.
    public init(_ code: Code, operation: String, message: String = "", file: String = #fileID, line: Int = #line) {
        self.code = code
        self.operation = operation
        self.message = message
        self.file = file
        self.line = line
    }

    /// A client-safe summary: the failure class only.
    public var description: String {
        switch code {
        case .connectFailed: "could not connect to Redis"
        case .authFailed: "Redis authentication failed"
        case .timeout: "Redis did not answer in time"
        case .connectionLost: "the Redis connection was lost"
        case .protocolError: "unexpected data from Redis"
        case .serverError: "Redis refused the request"
        case .cancelled: "the Redis call was cancelled"
        case .closed: "the Redis connection is closed"
        default: "Redis error (\(code.rawValue))"
        }
    }

    /// The code, operation, message and source location, for logs.
    public var debugDescription: String {
        var text = "RedisError.\(code.rawValue) in \(operation)"
        if !message.isEmpty { text += ": \(message)" }
        return text + " (\(file):\(line))"
    }
}
