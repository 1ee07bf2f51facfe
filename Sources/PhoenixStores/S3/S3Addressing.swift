import FoundationEssentials
import PhoenixAWS
import PhoenixDomain

/// Where a bucket's requests go: scheme, host and port of the endpoint, and whether the bucket
/// is the first path segment (path-style: moto, MinIO, dotted bucket names over TLS) or the first
/// label of the host (virtual-hosted: AWS's default).
struct S3Addressing: Sendable {
    let scheme: String
    /// The host to connect to, with the bucket label for virtual-hosted addressing.
    let host: String
    let port: Int?
    let bucket: String
    let pathStyle: Bool

    /// The addressing of `settings`: its `endpoint`, or AWS's regional endpoint.
    /// - Throws: `StoreError.invalidKey` for an endpoint that is not an http(s) URL or a bucket
    ///   name S3 would refuse, so a typo fails at start, not at the first backup.
    init(_ settings: S3Settings) throws(StoreError) {
        guard Self.isValidBucketName(settings.bucket) else {
            throw StoreError(.invalidKey, "\"\(settings.bucket)\" is not a valid S3 bucket name (3-63 characters: a-z, 0-9, '.', '-')")
        }
        bucket = settings.bucket
        let endpoint = settings.endpoint ?? "https://s3.\(settings.region).amazonaws.com"
        guard let components = URLComponents(string: endpoint), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty,
              components.path.isEmpty || components.path == "/", components.query == nil else {
            throw StoreError(.invalidKey, "backup.s3.endpoint \"\(endpoint)\" is not an http:// or https:// URL without a path")
        }
        self.scheme = scheme
        port = components.port
        // A dotted bucket name as a host label breaks certificate matching (*.s3.amazonaws.com).
        pathStyle = settings.pathStyle || (scheme == "https" && settings.bucket.contains("."))
        self.host = pathStyle ? host : "\(settings.bucket).\(host)"
    }

    /// The `Host` field the signature covers.
    var hostField: String {
        SigV4Request.hostField(host: host, port: port, scheme: scheme)
    }

    /// The percent-encoded request path of `key`, or of the bucket itself when `key` is nil.
    func path(for key: String?) -> String {
        let bucketPath = pathStyle ? "/\(bucket)" : ""
        guard let key else { return bucketPath.isEmpty ? "/" : bucketPath }
        return AWSPercentEncoding.encodePath("\(bucketPath)/\(key)")
    }

    /// The absolute URL of a signed request target (path and wire query).
    func url(target: String) -> String {
        "\(scheme)://\(hostField)\(target)"
    }

    /// S3's rules for new buckets: 3 to 63 of `a-z 0-9 . -`, starting and ending with a letter or
    /// digit.
    static func isValidBucketName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (3...63).contains(bytes.count) else { return false }
        let isAlnum = { (byte: UInt8) in (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) }
        guard let first = bytes.first, let last = bytes.last, isAlnum(first), isAlnum(last) else { return false }
        return bytes.allSatisfy { isAlnum($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }
}
