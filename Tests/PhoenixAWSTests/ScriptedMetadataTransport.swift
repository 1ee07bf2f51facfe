import PhoenixAWS
import Synchronization

/// A scripted stand-in for the IMDS HTTP client, which does not exist yet: a closure answers each
/// request, and every request is recorded for the test to check the sequence.
final class ScriptedMetadataTransport: InstanceMetadataTransport {
    typealias Handler = @Sendable (InstanceMetadataRequest) async throws -> InstanceMetadataResponse

    private let handler: Handler
    private let log = Mutex<[InstanceMetadataRequest]>([])

    init(_ handler: @escaping Handler) {
        self.handler = handler
    }

    var requests: [InstanceMetadataRequest] { log.withLock { $0 } }

    func fetch(_ request: InstanceMetadataRequest) async throws -> InstanceMetadataResponse {
        log.withLock { $0.append(request) }
        return try await handler(request)
    }

    /// Answers like IMDSv2 does: a token for the PUT, 401 for a GET without it, then `role` and `document`.
    static func imds(role: String = "dr-backup-role", document: String = document(), token: String = "IMDSTOKEN==") -> ScriptedMetadataTransport {
        ScriptedMetadataTransport { request in
            if request.method == "PUT", request.path == "/latest/api/token" {
                return .init(status: 200, body: Array(token.utf8))
            }
            guard request.headers["x-aws-ec2-metadata-token"] == token else { return .init(status: 401, body: []) }
            switch request.path {
            case "/latest/meta-data/iam/security-credentials/": return .init(status: 200, body: Array("\(role)\n".utf8))
            case "/latest/meta-data/iam/security-credentials/\(role)": return .init(status: 200, body: Array(document.utf8))
            default: return .init(status: 404, body: [])
            }
        }
    }

    /// A credentials document as IMDS serves it.
    static func document(code: String = "Success", expiration: String = "2026-01-02T09:04:05Z", omitting: String? = nil) -> String {
        let fields = [
            ("Code", code), ("LastUpdated", "2026-01-02T02:50:00Z"), ("Type", "AWS-HMAC"), ("AccessKeyId", "ASIAEXAMPLE"),
            ("SecretAccessKey", Fixture.secret), ("Token", Fixture.token), ("Expiration", expiration),
        ].filter { $0.0 != omitting }
        return "{\n" + fields.map { "  \"\($0.0)\" : \"\($0.1)\"" }.joined(separator: ",\n") + "\n}"
    }
}
