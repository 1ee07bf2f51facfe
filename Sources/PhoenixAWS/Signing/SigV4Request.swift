/// An HTTP request to sign, described as it will go on the wire.
///
/// `path` is already percent-encoded (build S3 object paths with `AWSPercentEncoding.encodePath`),
/// because S3 signs exactly the bytes sent and a second encoding or a `..` cleanup would sign a
/// different object. Query items are given decoded; the signer encodes them once for both the
/// canonical request and the wire, so the two cannot disagree.
///
/// ```swift
/// let request = SigV4Request(
///     method: "PUT",
///     host: SigV4Request.hostField(host: "127.0.0.1", port: 5055, scheme: "http"),
///     path: AWSPercentEncoding.encodePath("/dr-backups/redis/dump 1.rdb"),
///     headers: [.init(name: "Content-Type", value: "application/octet-stream")],
///     payload: .bytes(body)
/// )
/// ```
public struct SigV4Request: Sendable, Hashable {
    /// One query parameter, decoded. A `nil` value is a bare flag such as `?uploads`.
    public struct QueryItem: Sendable, Hashable {
        /// The decoded name.
        public var name: String
        /// The decoded value; `nil` for a flag (still signed as `name=`).
        public var value: String?

        /// A parameter `name`, with `value` or as a bare flag.
        public init(name: String, value: String?) {
            self.name = name
            self.value = value
        }
    }

    /// One header field. A name may repeat; the values are then signed joined with commas.
    public struct Header: Sendable, Hashable {
        /// The field name, in any case.
        public var name: String
        /// The field value as sent; visible ASCII, spaces and tabs only.
        public var value: String

        /// A field `name: value`.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The method, such as `GET`; uppercased when signed.
    public var method: String
    /// The `Host` field: lowercase host, `[...]` around IPv6, `:port` unless the scheme's default.
    public var host: String
    /// The percent-encoded path as on the request line, starting with `/`.
    public var path: String
    /// The decoded query parameters, in wire order.
    public var query: [QueryItem]
    /// Header fields other than `Host`; `Authorization`, `x-amz-date`, `x-amz-content-sha256`
    /// and `x-amz-security-token` are the signer's and are replaced.
    public var headers: [Header]
    /// The body's hash, or `.unsigned`.
    public var payload: SigV4Payload

    /// A request; see the properties for the form each part takes.
    public init(method: String, host: String, path: String, query: [QueryItem] = [], headers: [Header] = [], payload: SigV4Payload = .empty) {
        self.method = method
        self.host = host
        self.path = path
        self.query = query
        self.headers = headers
        self.payload = payload
    }

    /// The `Host` field value for an endpoint, as botocore derives it from a URL: the host
    /// lowercased, an IPv6 literal bracketed, the port added unless it is the scheme's default.
    public static func hostField(host: String, port: Int?, scheme: String) -> String {
        var name = host.lowercased()
        if name.contains(":"), !name.hasPrefix("[") { name = "[\(name)]" }
        let defaultPort = switch scheme.lowercased() {
        case "https": 443
        case "http": 80
        default: -1
        }
        guard let port, port != defaultPort else { return name }
        return "\(name):\(port)"
    }

    /// The query in wire form: caller order, each part encoded once, flags without `=`.
    var wireQuery: String {
        query.map { item in
            let name = AWSPercentEncoding.encode(item.name)
            guard let value = item.value else { return name }
            return "\(name)=\(AWSPercentEncoding.encode(value))"
        }.joined(separator: "&")
    }
}
