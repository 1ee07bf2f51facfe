import Logging

extension RedisConnection {
    /// Connects and authenticates on the connection's queue; the handle is kept only when both
    /// succeed (a failed AUTH frees the context as the local handle goes out of scope).
    func open(_ endpoint: RedisEndpoint) throws(RedisError) {
        try checkCancellation(operation: "redisConnectWithTimeout")
        let handle = try RedisContextHandle.connect(
            host: endpoint.host, port: endpoint.port,
            connectTimeout: endpoint.connectTimeout, commandTimeout: endpoint.commandTimeout)
        if endpoint.password != nil || endpoint.username != nil {
            try checkCancellation(operation: "AUTH")
            try authenticate(handle, username: endpoint.username, password: endpoint.password ?? "")
        }
        self.handle = handle
        logger.debug("redis connected")
    }

    /// Sends `AUTH password`, or `AUTH username password` for an ACL user (Redis 6+; a `nopass`
    /// user accepts any password, so a username without a password sends an empty one).
    ///
    /// The credentials go out as binary arguments and no error is built from them: the error
    /// message is the server's reply text, which never echoes the password.
    private func authenticate(_ handle: RedisContextHandle, username: String?, password: String) throws(RedisError) {
        let arguments = ["AUTH"] + (username.map { [$0] } ?? []) + [password]
        let reply = try handle.command(RedisArguments(arguments.map { Array($0.utf8) }))
        switch reply {
        case .status:
            return
        case .error(let message) where Self.isCredentialRejection(message):
            throw RedisError(.authFailed, operation: "AUTH", message: message)
        case .error(let message):
            throw RedisError(.serverError, operation: "AUTH", message: message)
        default:
            throw RedisError(.protocolError, operation: "AUTH", message: "unexpected reply to AUTH")
        }
    }

    /// The replies that mean "wrong or missing credentials": `WRONGPASS` (Redis 6+), `NOAUTH`,
    /// `ERR invalid password` (Redis before 6) and `ERR AUTH <password> called without any
    /// password configured` (a password sent to a server that has none).
    private static func isCredentialRejection(_ message: String) -> Bool {
        message.hasPrefix("WRONGPASS") || message.hasPrefix("NOAUTH")
            || message.hasPrefix("ERR invalid password") || message.hasPrefix("ERR AUTH")
    }
}
