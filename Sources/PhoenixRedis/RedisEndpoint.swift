/// Where and how to reach one Redis server.
///
/// ```swift
/// let endpoint = try RedisEndpoint(address: "10.0.0.5:6379", password: secret)
/// let connection = try await RedisConnection.connect(endpoint, logger: logger)
/// ```
///
/// `description` shows the password as `***`, so an endpoint can be logged or interpolated safely.
public struct RedisEndpoint: Sendable, CustomStringConvertible {
    /// A host name or IP literal, IPv6 without brackets (`"::1"`).
    public var host: String
    /// The TCP port, 1...65535.
    public var port: Int
    /// An ACL user (Redis 6+); nil authenticates as `default` with `password` alone.
    public var username: String?
    /// Sent with AUTH when set. Never logged nor put in errors.
    public var password: String?
    /// The limit for the TCP handshake (hiredis' `redisConnectWithTimeout`).
    public var connectTimeout: Duration
    /// The socket read/write timeout for each reply (`redisSetTimeout`); at least 1 ms, since a
    /// zero `SO_RCVTIMEO` would mean "wait forever".
    public var commandTimeout: Duration

    /// Parses `"host:port"` (the config's `redis.address`), or `"[v6-address]:port"`.
    /// - Throws: `.connectFailed` when the address has no port, a bad port, or an IPv6 address
    ///   without brackets.
    public init(
        address: String,
        username: String? = nil,
        password: String? = nil,
        connectTimeout: Duration = .seconds(5),
        commandTimeout: Duration = .seconds(30)
    ) throws(RedisError) {
        let (host, port) = try Self.split(address)
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
    }

    /// The address and user, with any password as `***`.
    public var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        // The userinfo of a redis:// URL: "user:***@", ":***@" for a bare password, "user@".
        let userinfo = switch (username, password) {
        case (let user?, _?): "\(user):***@"
        case (nil, _?): ":***@"
        case (let user?, nil): "\(user)@"
        case (nil, nil): ""
        }
        return "redis://\(userinfo)\(shownHost):\(port)"
    }

    private static func split(_ address: String) throws(RedisError) -> (host: String, port: Int) {
        func invalid(_ why: String) -> RedisError {
            RedisError(.connectFailed, operation: "RedisEndpoint", message: "invalid address: \(why)")
        }
        let host: Substring
        let portText: Substring
        if address.hasPrefix("[") {
            // RFC 3986 §3.2.2: an IPv6 literal in brackets, the port after "]:".
            guard let close = address.firstIndex(of: "]") else { throw invalid("missing ]") }
            host = address[address.index(after: address.startIndex)..<close]
            let rest = address[address.index(after: close)...]
            guard rest.first == ":" else { throw invalid("missing port") }
            portText = rest.dropFirst()
        } else {
            guard let colon = address.lastIndex(of: ":") else { throw invalid("missing port") }
            host = address[..<colon]
            guard !host.contains(":") else { throw invalid("IPv6 address needs brackets") }
            portText = address[address.index(after: colon)...]
        }
        guard !host.isEmpty, !host.utf8.contains(0), !host.contains(where: \.isWhitespace) else {
            throw invalid("bad host")
        }
        // Digits only: Int("+6379") would parse, and a config typo should not.
        guard portText.allSatisfy({ $0.isASCII && $0.isNumber }), let port = Int(portText),
            (1...65535).contains(port)
        else { throw invalid("bad port") }
        return (String(host), port)
    }
}
