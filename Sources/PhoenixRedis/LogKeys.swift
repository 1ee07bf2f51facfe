/// Every log metadata key `PhoenixRedis` writes (STYLE.md: lowercase, dotted, listed in one place).
enum LogKeys {
    /// The server's `host:port`.
    static let peerAddress = "peer.address"
    /// The `RedisError.Code` of a failure.
    static let errorType = "error.type"
    /// The hiredis call or step that failed.
    static let operation = "redis.operation"
}
