/// A request signed in its query string: a URL that works without credentials until it expires.
///
/// The URL is a bearer credential (and holds the session token, if any), so `description` and
/// reflection show only the method, the path and the expiry.
public struct PresignedRequest: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The uppercased method the URL is valid for.
    public let method: String
    /// The `Host` field value the URL was signed for.
    public let host: String
    /// The path and query, `X-Amz-Signature` last.
    public let target: String
    /// The headers its user must send, `host` first; all are signed.
    public let headers: [SigV4Request.Header]
    /// How long the URL is valid after the signing time.
    public let expires: Duration
    /// The canonical request that was signed (holds the session token: do not log).
    public let canonicalRequest: String
    /// The string to sign.
    public let stringToSign: String
    /// The 64-hex-digit signature, also the `X-Amz-Signature` parameter.
    public let signature: String

    /// The full URL for `scheme` (`https` against AWS; `http` against a local moto).
    public func url(scheme: String) -> String {
        "\(scheme)://\(host)\(target)"
    }

    /// The target without the query.
    private var path: Substring { target.prefix { $0 != "?" } }

    /// `PresignedRequest(GET /bucket/key, expires 3600 seconds)`.
    public var description: String { "PresignedRequest(\(method) \(path), expires \(expires.components.seconds) seconds)" }

    /// The same as `description`.
    public var debugDescription: String { description }

    /// Only the method, path and expiry, so `dump` cannot print the signature or the token.
    public var customMirror: Mirror { Mirror(self, children: ["method": method, "path": path, "expires": expires]) }
}
