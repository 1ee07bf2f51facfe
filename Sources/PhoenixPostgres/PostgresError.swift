/// The one error type of `PhoenixPostgres`.
///
/// `description` is safe to show an API client: it names the failure class and the SQLSTATE, never
/// the SQL, the connection string or the server's message (which may quote row data).
/// `debugDescription` adds the server's or libpq's message, for logs.
///
/// ```swift
/// do {
///     try await connection.execute("INSERT INTO jobs (id) VALUES ($1)", [.text(id)])
/// } catch let error where error.sqlState == "23505" {
///     // unique_violation: the job already exists
/// }
/// ```
public struct PostgresError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The class of failure. The set grows, so switch over it with a `default` case.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// A short stable name such as `"queryFailed"`.
        public let rawValue: String

        /// Wraps a raw name; prefer the static members.
        public init(_ rawValue: String) { self.rawValue = rawValue }

        /// The connection could not be established (refused, timed out, authentication failed).
        public static let connectionFailed = Code("connectionFailed")
        /// An established connection broke (the server closed it or it was terminated).
        public static let connectionLost = Code("connectionLost")
        /// The connection was already closed by `close()` or after an unrecoverable error.
        public static let connectionClosed = Code("connectionClosed")
        /// The server rejected the statement; `sqlState` says why.
        public static let queryFailed = Code("queryFailed")
        /// The calling task was cancelled; a running statement was cancelled with `PQcancel`.
        public static let cancelled = Code("cancelled")
        /// The server answered something this client does not handle (for example `COPY`).
        public static let protocolViolation = Code("protocolViolation")
        /// A parameter cannot be sent (for example text containing a NUL byte).
        public static let invalidParameter = Code("invalidParameter")
        /// A row has no column of the requested name.
        public static let columnNotFound = Code("columnNotFound")
        /// A column's text cannot be read as the requested type.
        public static let decodingFailed = Code("decodingFailed")
        /// The pool was shut down.
        public static let poolClosed = Code("poolClosed")

        /// The raw name.
        public var description: String { rawValue }
    }

    /// The class of failure.
    public let code: Code
    /// The five-character SQLSTATE the server reported (`"23505"`, `"42601"`), if any.
    public let sqlState: String?
    /// The libpq call or step that failed (`"PQexecParams"`, `"PQconnectPoll"`, `"row.int"`).
    public let operation: String
    /// The server's or libpq's message. Only for logs: it may quote data.
    public let message: String
    /// Where the error was created.
    public let file: String
    /// Where the error was created.
    public let line: Int

    /// Creates an error; `file` and `line` default to the call site.
    public init(
        _ code: Code,
        sqlState: String? = nil,
        operation: String,
        message: String = "",
        file: String = #fileID,
        line: Int = #line
    ) {
        self.code = code
        self.sqlState = sqlState
        self.operation = operation
        self.message = message
        self.file = file
        self.line = line
    }

    /// A client-safe summary: the failure class and SQLSTATE only.
    public var description: String {
        let summary = switch code {
        case .connectionFailed: "could not connect to PostgreSQL"
        case .connectionLost: "the PostgreSQL connection was lost"
        case .connectionClosed: "the PostgreSQL connection is closed"
        case .queryFailed: "a PostgreSQL statement failed"
        case .cancelled: "the PostgreSQL statement was cancelled"
        case .protocolViolation: "unexpected response from PostgreSQL"
        case .invalidParameter: "a PostgreSQL parameter could not be sent"
        case .columnNotFound: "a PostgreSQL result has no such column"
        case .decodingFailed: "a PostgreSQL value could not be decoded"
        case .poolClosed: "the PostgreSQL pool is closed"
        default: "PostgreSQL error (\(code.rawValue))"
        }
        guard let sqlState else { return summary }
        return "\(summary) (SQLSTATE \(sqlState))"
    }

    /// The summary plus the operation, the server's message and the source location, for logs.
    public var debugDescription: String {
        var text = "PostgresError.\(code.rawValue)"
        if let sqlState { text += " [\(sqlState)]" }
        text += " in \(operation)"
        if !message.isEmpty { text += ": \(message)" }
        return text + " (\(file):\(line))"
    }
}
