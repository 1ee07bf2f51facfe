import HTTPTypes
import PhoenixAWS
import PhoenixHTTPClient

/// IMDSv2 over our HTTP client: `http://169.254.169.254`, a one-second budget (off EC2 nothing
/// answers, and the credentials chain must move on quickly), and a capped body.
public struct HTTPInstanceMetadataTransport: InstanceMetadataTransport {
    private let http: HTTPClient
    private let baseURL: String

    public init(http: HTTPClient, baseURL: String = "http://169.254.169.254") {
        self.http = http
        self.baseURL = baseURL
    }

    public func fetch(_ request: InstanceMetadataRequest) async throws -> InstanceMetadataResponse {
        var fields = HTTPFields()
        for (name, value) in request.headers {
            guard let fieldName = HTTPField.Name(name) else { continue }
            fields.append(HTTPField(name: fieldName, value: value))
        }
        let method = HTTPRequest.Method(request.method) ?? .get
        let response = try await http.execute(
            HTTPClientRequest(method: method, url: baseURL + request.path, headerFields: fields,
                              timeouts: HTTPClientTimeouts(connect: .seconds(1), total: .seconds(2))),
            maxBodyBytes: InstanceMetadataCredentialsProvider.maxBodySize)
        return InstanceMetadataResponse(status: response.status.code, body: response.body)
    }
}
