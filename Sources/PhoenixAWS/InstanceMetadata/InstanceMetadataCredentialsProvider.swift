/// Role credentials from the EC2 instance metadata service, IMDSv2 only.
///
/// Three requests, per the EC2 user guide ("Use IMDSv2" and "Retrieve security credentials from
/// instance metadata"): `PUT /latest/api/token` with a TTL header gives a session token; a `GET` of
/// `/latest/meta-data/iam/security-credentials/` with that token names the role; a `GET` of the
/// role's path returns the JSON credentials document. IMDSv1 (no token) is not used: it is the
/// variant SSRF attacks reach, and instances should require v2.
///
/// Each call performs all three requests; wrap the provider in `CachingCredentialsProvider`.
/// The transport is a seam until PhoenixHTTP has a client (see `InstanceMetadataTransport`).
public struct InstanceMetadataCredentialsProvider: AWSCredentialsProvider {
    /// Where the session token comes from.
    public static let tokenPath = "/latest/api/token"
    /// Lists the instance profile's role (one name per line).
    public static let credentialsPath = "/latest/meta-data/iam/security-credentials/"
    /// The header asking for a token lifetime, in seconds.
    public static let tokenTTLHeader = "x-aws-ec2-metadata-token-ttl-seconds"
    /// The header carrying the token on metadata reads.
    public static let tokenHeader = "x-aws-ec2-metadata-token"
    /// The largest body accepted; the credentials document is about 1.5 KB.
    public static let maxBodySize = 64 * 1024

    private let transport: any InstanceMetadataTransport
    private let tokenTTLSeconds: Int

    /// A provider talking through `transport`, asking for tokens that live `tokenTTLSeconds`
    /// (IMDS accepts 1 to 21600).
    public init(transport: any InstanceMetadataTransport, tokenTTLSeconds: Int = 21_600) {
        self.transport = transport
        self.tokenTTLSeconds = min(max(tokenTTLSeconds, 1), 21_600)
    }

    /// `"instance-metadata"`.
    public var name: String { "instance-metadata" }

    /// The role's current credentials.
    /// - Throws: `.credentialsNotFound` if the service cannot be reached or the instance has no
    ///   role (404); `.metadataUnavailable` for other statuses; `.malformedMetadata` for a reply
    ///   that is not what the service documents; `.cancelled`.
    public func credentials() async throws(AWSError) -> AWSCredentials {
        let token = try await text(
            InstanceMetadataRequest(method: "PUT", path: Self.tokenPath, headers: [Self.tokenTTLHeader: "\(tokenTTLSeconds)"]),
            step: "token"
        )
        guard token.utf8.count <= 4096, token.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw AWSError(.malformedMetadata, "the session token is not a visible-ASCII word")
        }
        let authorized = [Self.tokenHeader: token]
        let listing = try await text(InstanceMetadataRequest(method: "GET", path: Self.credentialsPath, headers: authorized), step: "role")
        let role = try Self.roleName(from: listing)
        let document = try await fetch(
            InstanceMetadataRequest(method: "GET", path: Self.credentialsPath + role, headers: authorized),
            step: "credentials"
        )
        return try InstanceMetadataDocument.parse(document).credentials()
    }

    /// The first role in the listing, checked against IAM's role-name alphabet before it becomes
    /// part of a path: a hostile or confused responder must not steer the next request elsewhere.
    static func roleName(from listing: String) throws(AWSError) -> String {
        let first = listing.split(whereSeparator: \.isNewline).first.map { $0.trimmingSpaces() } ?? ""
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+=,.@_-".utf8)
        guard (1...64).contains(first.utf8.count), first.utf8.allSatisfy(allowed.contains) else {
            throw AWSError(.malformedMetadata, "the role name is not a valid IAM role name")
        }
        return first
    }

    private func text(_ request: InstanceMetadataRequest, step: String) async throws(AWSError) -> String {
        let body = try await fetch(request, step: step)
        guard let text = String(validating: body, as: UTF8.self) else {
            throw AWSError(.malformedMetadata, "the \(step) response is not UTF-8")
        }
        return text.trimmingSpaces()
    }

    private func fetch(_ request: InstanceMetadataRequest, step: String) async throws(AWSError) -> [UInt8] {
        let response: InstanceMetadataResponse
        do {
            response = try await transport.fetch(request)
        } catch is CancellationError {
            throw AWSError(.cancelled, message: "instance metadata \(step) request")
        } catch {
            throw AWSError(.credentialsNotFound, "instance metadata unreachable", message: "\(step): \(error)")
        }
        switch response.status {
        case 200: break
        // 404 for the role listing: the instance has no instance profile.
        case 404: throw AWSError(.credentialsNotFound, "the \(step) request got 404", message: request.path)
        default: throw AWSError(.metadataUnavailable, "status \(response.status) for the \(step) request")
        }
        guard response.body.count <= Self.maxBodySize else {
            throw AWSError(.malformedMetadata, "the \(step) response is larger than \(Self.maxBodySize) bytes")
        }
        return response.body
    }
}
