/// A request signed with an `Authorization` header, ready to send.
///
/// Send `method`, `target` and `headers` exactly as given: the signature covers the host, the
/// path and query as written here, and every signed header value. `headers` and
/// `canonicalRequest` contain the session token, and the signature is replayable for 15 minutes,
/// so `description` and reflection show only the method and path.
public struct SignedRequest: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The uppercased method.
    public let method: String
    /// The request target: the path, and `?query` in wire form if there is one.
    public let target: String
    /// Every header to send, `host` first and `authorization` last.
    public let headers: [SigV4Request.Header]
    /// The canonical request that was signed (holds the session token: do not log).
    public let canonicalRequest: String
    /// The string to sign: algorithm, time, scope and the canonical request's hash.
    public let stringToSign: String
    /// The 64-hex-digit signature.
    public let signature: String

    /// The value of the first header named `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The target without the query: log metadata never needs more.
    private var path: Substring { target.prefix { $0 != "?" } }

    /// `SignedRequest(PUT /bucket/key)`.
    public var description: String { "SignedRequest(\(method) \(path))" }

    /// The same as `description`.
    public var debugDescription: String { description }

    /// Only the method and path, so `dump` cannot print the token or the signature.
    public var customMirror: Mirror { Mirror(self, children: ["method": method, "path": path]) }
}
