import Foundation
import PhoenixAWS
import Testing

/// Every botocore vector: the canonical request, the string to sign, the signature, and the
/// headers or URL must match to the byte.
@Suite struct SigV4VectorTests {
    @Test func theFixtureLoadsAndCoversEnoughCases() {
        let vectors = SigV4Vector.all
        #expect(vectors.count >= 25)
        #expect(vectors.contains { $0.presignExpires != nil })
        #expect(vectors.contains { $0.service == "route53" })
        #expect(vectors.contains { $0.credentials.sessionToken != nil })
        #expect(vectors.contains { $0.payload == "UNSIGNED-PAYLOAD" && $0.presignExpires == nil })
    }

    @Test(arguments: SigV4Vector.all)
    func signerReproducesBotocore(_ vector: SigV4Vector) throws {
        #expect(AWSPercentEncoding.encodePath(vector.rawPath) == vector.path)
        let signer = SigV4Signer(region: AWSRegion(vector.region), service: AWSService(vector.service))
        let credentials = try vector.signingCredentials
        if let seconds = vector.presignExpires {
            let presigned = try signer.presign(vector.request, credentials: credentials, date: try vector.date, expires: .seconds(seconds))
            #expect(presigned.canonicalRequest == vector.expected.canonicalRequest)
            #expect(presigned.stringToSign == vector.expected.stringToSign)
            #expect(presigned.signature == vector.expected.signature)
            #expect(presigned.url(scheme: vector.scheme) == vector.expected.url)
        } else {
            let signed = try signer.sign(vector.request, credentials: credentials, date: try vector.date)
            #expect(signed.canonicalRequest == vector.expected.canonicalRequest)
            #expect(signed.stringToSign == vector.expected.stringToSign)
            #expect(signed.signature == vector.expected.signature)
            #expect(signed.header("authorization") == vector.expected.authorization)
            #expect(signed.target == vector.target)
            #expect(signed.headers.first == SigV4Request.Header(name: "host", value: vector.host))
            let sent = signed.headers.dropFirst().map { [$0.name.lowercased(), $0.value] }
            #expect(sent == vector.expected.headers?.map { [$0[0].lowercased(), $0[1]] })
        }
    }

    @Test(arguments: SigV4Vector.all)
    func hostFieldMatchesBotocoresDerivationFromTheURL(_ vector: SigV4Vector) throws {
        let components = try #require(URLComponents(string: vector.url))
        let host = try #require(components.host)
        #expect(SigV4Request.hostField(host: host, port: components.port, scheme: vector.scheme) == vector.host)
    }
}
