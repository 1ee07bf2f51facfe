import Foundation
import PhoenixAWS
import Testing

@Suite struct InstanceMetadataCredentialsProviderTests {
    struct Unreachable: Error {}

    func failure(_ transport: ScriptedMetadataTransport) async -> AWSError? {
        await #expect(throws: AWSError.self) { try await InstanceMetadataCredentialsProvider(transport: transport).credentials() }
    }

    @Test func getsATokenThenTheRoleThenItsCredentials() async throws {
        let transport = ScriptedMetadataTransport.imds()
        let credentials = try await InstanceMetadataCredentialsProvider(transport: transport, tokenTTLSeconds: 900).credentials()
        #expect(transport.requests == [
            InstanceMetadataRequest(method: "PUT", path: "/latest/api/token", headers: ["x-aws-ec2-metadata-token-ttl-seconds": "900"]),
            InstanceMetadataRequest(method: "GET", path: "/latest/meta-data/iam/security-credentials/", headers: ["x-aws-ec2-metadata-token": "IMDSTOKEN=="]),
            InstanceMetadataRequest(
                method: "GET", path: "/latest/meta-data/iam/security-credentials/dr-backup-role", headers: ["x-aws-ec2-metadata-token": "IMDSTOKEN=="]
            ),
        ])
        #expect(credentials.accessKeyID == AWSAccessKeyID("ASIAEXAMPLE"))
        #expect(credentials.secretAccessKey == AWSSecret(Fixture.secret))
        #expect(credentials.sessionToken == AWSSecret(Fixture.token))
        #expect(credentials.expiration == Date(timeIntervalSince1970: 1_767_344_645))
    }

    @Test func noRoleOrNoServiceMeansNotFound() async {
        let noRole = ScriptedMetadataTransport { request in
            request.method == "PUT" ? .init(status: 200, body: Array("T".utf8)) : .init(status: 404, body: [])
        }
        #expect(await failure(noRole)?.code == .credentialsNotFound)
        #expect(await failure(ScriptedMetadataTransport { _ in throw Unreachable() })?.code == .credentialsNotFound)
    }

    @Test func aRefusedTokenRequestIsUnavailableNotAFallbackToIMDSv1() async {
        let transport = ScriptedMetadataTransport { _ in .init(status: 403, body: []) }
        let error = await failure(transport)
        #expect(error?.code == .metadataUnavailable)
        #expect(transport.requests.count == 1)
    }

    @Test func cancellationIsReportedAsCancelled() async {
        #expect(await failure(ScriptedMetadataTransport { _ in throw CancellationError() })?.code == .cancelled)
    }

    @Test(arguments: ["../../latest/user-data", "role/../x", "", "role name", String(repeating: "r", count: 65)])
    func aHostileRoleNameIsRefusedBeforeItBecomesAPath(_ role: String) async {
        let transport = ScriptedMetadataTransport.imds(role: role)
        #expect(await failure(transport)?.code == .malformedMetadata)
        #expect(transport.requests.count == 2)
    }

    @Test func aFailedDocumentIsMalformed() async {
        #expect(await failure(.imds(document: ScriptedMetadataTransport.document(code: "AssumeRoleUnauthorizedAccess")))?.code == .malformedMetadata)
    }

    @Test(arguments: ["AccessKeyId", "SecretAccessKey", "Token", "Expiration"])
    func aMissingFieldIsNamed(_ field: String) async {
        let error = await failure(.imds(document: ScriptedMetadataTransport.document(omitting: field)))
        #expect(error?.code == .malformedMetadata)
        #expect(error?.description.contains(field) == true)
    }

    @Test func decodeErrorsNeverQuoteTheDocument() async {
        let broken = ScriptedMetadataTransport.document(expiration: "not a date \(Fixture.secret)")
        let error = await failure(.imds(document: broken))
        #expect(error?.code == .malformedMetadata)
        #expect(error.map { !"\($0) \(String(reflecting: $0))".contains("wJalrXUtnFEMI") } ?? false)
        #expect(await failure(.imds(document: "{\"Code\": \"Success\", \(Fixture.secret)")).map { !String(reflecting: $0).contains("wJalrXUtnFEMI") } ?? false)
    }

    @Test func oversizedBodiesAndBadTokensAreMalformed() async {
        let huge = ScriptedMetadataTransport { _ in .init(status: 200, body: Array(repeating: 0x41, count: 70_000)) }
        #expect(await failure(huge)?.code == .malformedMetadata)
        #expect(await failure(.imds(token: "tok\r\nx-evil: 1"))?.code == .malformedMetadata)
    }
}
