import FoundationEssentials
import PhoenixCrypto

/// Signs requests with AWS Signature Version 4 (`AWS4-HMAC-SHA256`) for one region and service.
///
/// Follows botocore, the reference the known-answer tests check against: S3 signs the path as sent
/// and always carries `x-amz-content-sha256`; other services sign the path with dot segments and
/// empty segments removed, then percent-encoded once more. Signing keys are cached per day.
///
/// ```swift
/// let signer = SigV4Signer(region: .usEast1, service: .s3)
/// let signed = try signer.sign(request, credentials: credentials, date: wallClock.now())
/// // send signed.method, signed.target and signed.headers exactly as given
/// ```
public struct SigV4Signer: Sendable {
    /// The region in the credential scope.
    public let region: AWSRegion
    /// The service in the credential scope; `.s3` turns on S3's rules.
    public let service: AWSService
    private let cache: SigningKeyCache

    /// A signer for `region` and `service`; pass one `cache` to several signers to share keys.
    public init(region: AWSRegion, service: AWSService, cache: SigningKeyCache = SigningKeyCache()) {
        self.region = region
        self.service = service
        self.cache = cache
    }

    /// Signs `request` with an `Authorization` header.
    ///
    /// Adds `host`, `x-amz-date`, `x-amz-security-token` (if the credentials have a session token),
    /// `x-amz-content-sha256` (for S3, and for an unsigned payload) and `authorization`.
    /// - Parameter date: the signing time, from the injected wall clock; AWS allows 15 minutes of skew.
    /// - Throws: `AWSError.invalidRequest` if a part of the request cannot be sent or signed as given.
    public func sign(_ request: SigV4Request, credentials: AWSCredentials, date: Date) throws(AWSError) -> SignedRequest {
        try validate(request)
        let time = try AmzDate(date)
        var headers = [SigV4Request.Header(name: "host", value: request.host.lowercased())]
        headers += request.headers.filter { !Self.signerHeaders.contains($0.name.lowercased()) }
        headers.append(.init(name: "x-amz-date", value: time.stamp))
        if let token = credentials.sessionToken {
            headers.append(.init(name: "x-amz-security-token", value: token.value))
        }
        if service.isS3 || request.payload == .unsigned {
            headers.append(.init(name: "x-amz-content-sha256", value: request.payload.canonicalValue))
        }
        let canonical = SigV4CanonicalRequest(
            method: request.method.uppercased(),
            canonicalURI: canonicalURI(request.path),
            query: request.query,
            headers: headers,
            payload: request.payload.canonicalValue
        )
        let (stringToSign, signature) = signature(of: canonical, time: time, credentials: credentials)
        let credential = "\(credentials.accessKeyID.rawValue)/\(scope(time))"
        headers.append(.init(
            name: "authorization",
            value: "AWS4-HMAC-SHA256 Credential=\(credential), SignedHeaders=\(canonical.signedHeaders), Signature=\(signature)"
        ))
        let wireQuery = request.wireQuery
        return SignedRequest(
            method: request.method.uppercased(),
            target: wireQuery.isEmpty ? request.path : "\(request.path)?\(wireQuery)",
            headers: headers,
            canonicalRequest: canonical.text,
            stringToSign: stringToSign,
            signature: signature
        )
    }

    /// Headers the signer writes itself; copies in the request are dropped, as botocore does.
    static let signerHeaders: Set<String> = ["authorization", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token"]

    /// S3: the path as sent. Others: botocore's `remove_dot_segments` (which also drops empty
    /// segments) and one more encoding of everything but unreserved characters and `/`, so the
    /// `%` of the wire path becomes `%25` ("double-encoded" relative to the raw path, as the SigV4
    /// documentation puts it for every service except S3).
    func canonicalURI(_ path: String) -> String {
        guard !service.isS3 else { return path }
        return AWSPercentEncoding.encode(Self.removingDotSegments(path).utf8, keepingSlash: true)
    }

    /// `day/region/service/aws4_request`.
    func scope(_ time: AmzDate) -> String {
        "\(time.day)/\(region.rawValue)/\(service.rawValue)/aws4_request"
    }

    /// The string to sign and the hex signature over it.
    func signature(of canonical: SigV4CanonicalRequest, time: AmzDate, credentials: AWSCredentials) -> (String, String) {
        let stringToSign = ["AWS4-HMAC-SHA256", time.stamp, scope(time), SHA256.hex(Array(canonical.text.utf8))].joined(separator: "\n")
        let key = cache.key(
            for: .init(day: time.day, region: region.rawValue, service: service.rawValue, accessKeyID: credentials.accessKeyID.rawValue),
            secret: credentials.secretAccessKey
        )
        return (stringToSign, Hex.encode(HMACSHA256.authenticate(Array(stringToSign.utf8), key: key)))
    }

    /// botocore's `remove_dot_segments`: RFC 3986 §5.2.4 plus dropping empty segments (`//`).
    static func removingDotSegments(_ path: String) -> String {
        var output: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) where segment != "." {
            if segment == ".." {
                _ = output.popLast()
            } else {
                output.append(segment)
            }
        }
        let trailing = path.hasSuffix("/") && !output.isEmpty ? "/" : ""
        return "/" + output.joined(separator: "/") + trailing
    }
}
