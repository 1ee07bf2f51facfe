/// Every log metadata key `PhoenixPostgres` writes (STYLE.md: lowercase, dotted, listed in one place).
enum LogKeys {
    /// A `NOTICE`/`WARNING` text the server sent (`RAISE NOTICE`, implicit index creation, ...).
    static let notice = "postgres.notice"
    /// A `LISTEN`/`NOTIFY` channel.
    static let channel = "postgres.channel"
    /// The server process serving the connection.
    static let backendPID = "postgres.backend_pid"
    /// The SQLSTATE of a failure.
    static let sqlState = "postgres.sqlstate"
    /// The `PostgresError.Code` or Swift type of a failure.
    static let errorType = "error.type"
    /// The number of connections a pool holds open.
    static let poolOpen = "pool.open"
}
