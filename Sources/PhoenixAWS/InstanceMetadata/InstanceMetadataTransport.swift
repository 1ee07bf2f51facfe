/// The HTTP seam between the IMDSv2 credentials logic and a real HTTP client.
///
/// PhoenixAWS has no HTTP client yet. When PhoenixHTTP grows one, a small adapter conforms to this
/// protocol, sends to `http://169.254.169.254` (the link-local IMDS address, never through a proxy)
/// with a short timeout, and caps the body it reads. Until then tests script it with a closure.
public protocol InstanceMetadataTransport: Sendable {
    /// Sends one request to the metadata service and returns its status and body.
    /// - Throws: any error for a failed exchange (unreachable, timed out); the provider reports it
    ///   as "no credentials here", since it usually means the process is not on EC2.
    func fetch(_ request: InstanceMetadataRequest) async throws -> InstanceMetadataResponse
}

/// One request to the instance metadata service.
public struct InstanceMetadataRequest: Sendable, Hashable {
    /// `PUT` for the session token, `GET` otherwise.
    public let method: String
    /// The path under the service, such as `/latest/api/token`.
    public let path: String
    /// Header fields, by lowercase name. The token header value is a secret: never log it.
    public let headers: [String: String]

    /// A request for `method` and `path` with `headers`.
    public init(method: String, path: String, headers: [String: String]) {
        self.method = method
        self.path = path
        self.headers = headers
    }
}

/// The metadata service's answer.
public struct InstanceMetadataResponse: Sendable, Hashable {
    /// The HTTP status code.
    public let status: Int
    /// The body. For the credentials document it holds secrets: never log it.
    public let body: [UInt8]

    /// A response with `status` and `body`.
    public init(status: Int, body: [UInt8]) {
        self.status = status
        self.body = body
    }
}
