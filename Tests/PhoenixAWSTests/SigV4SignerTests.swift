import Foundation
import PhoenixAWS
import Testing

/// Signer behaviour beyond the botocore vectors: input checks, owned headers, the key cache, times.
@Suite struct SigV4SignerTests {
    let s3 = SigV4Signer(region: .usEast1, service: .s3)

    func request(path: String = "/dr-backups/k", headers: [SigV4Request.Header] = []) -> SigV4Request {
        SigV4Request(method: "GET", host: "127.0.0.1:5055", path: path, headers: headers)
    }

    func failure(_ request: SigV4Request, signer: SigV4Signer? = nil) -> AWSError? {
        #expect(throws: AWSError.self) { try (signer ?? s3).sign(request, credentials: try Fixture.credentials(), date: Fixture.date) }
    }

    @Test(arguments: ["/a b", "/é", "/a?b", "/a#b", "/100%", "/%zz", "relative", ""])
    func refusesAPathThatIsNotWireEncoded(_ path: String) {
        #expect(failure(request(path: path))?.code == .invalidRequest)
    }

    @Test func refusesHeaderInjectionAndAmbiguousHost() {
        #expect(failure(request(headers: [.init(name: "x-amz-meta-a", value: "1\r\nx-amz-acl: public-read")])) != nil)
        #expect(failure(request(headers: [.init(name: "x-amz-meta-a", value: "caf\u{E9}")])) != nil)
        #expect(failure(request(headers: [.init(name: "bad name", value: "1")])) != nil)
        #expect(failure(request(headers: [.init(name: "Host", value: "elsewhere")])) != nil)
        var badMethod = request()
        badMethod.method = "GET /"
        #expect(failure(badMethod) != nil)
        var badHash = request()
        badHash.payload = .sha256(hex: "ABC")
        #expect(failure(badHash) != nil)
        #expect(failure(request(), signer: SigV4Signer(region: AWSRegion("us-east-1/x"), service: .s3)) != nil)
    }

    @Test func theSignerOwnsItsHeadersAndReplacesCallerCopies() throws {
        let stale = request(headers: [
            .init(name: "Authorization", value: "AWS4-HMAC-SHA256 old"), .init(name: "X-Amz-Date", value: "19990101T000000Z"),
            .init(name: "x-amz-security-token", value: "old"), .init(name: "x-amz-content-sha256", value: "old"),
        ])
        let signed = try s3.sign(stale, credentials: Fixture.credentials(token: Fixture.token), date: Fixture.date)
        let names = signed.headers.map { $0.name.lowercased() }
        #expect(names == ["host", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256", "authorization"])
        #expect(signed.header("x-amz-date") == "20260102T030405Z")
        #expect(signed.header("x-amz-security-token") == Fixture.token)
    }

    @Test func otherServicesGetNoContentHashHeaderUnlessThePayloadIsUnsigned() throws {
        let route53 = SigV4Signer(region: .usEast1, service: .route53)
        let plain = try route53.sign(request(), credentials: Fixture.credentials(), date: Fixture.date)
        #expect(plain.header("x-amz-content-sha256") == nil)
        var unsigned = request()
        unsigned.payload = .unsigned
        #expect(try route53.sign(unsigned, credentials: Fixture.credentials(), date: Fixture.date).header("x-amz-content-sha256") == "UNSIGNED-PAYLOAD")
    }

    @Test func theWireQueryKeepsCallerOrderAndBareFlags() throws {
        var upload = request(path: "/b/k")
        upload.query = [.init(name: "uploads", value: nil), .init(name: "b", value: "x y"), .init(name: "a", value: "")]
        let signed = try s3.sign(upload, credentials: Fixture.credentials(), date: Fixture.date)
        #expect(signed.target == "/b/k?uploads&b=x%20y&a=")
        #expect(signed.canonicalRequest.split(separator: "\n", omittingEmptySubsequences: false)[2] == "a=&b=x%20y&uploads=")
    }

    @Test func signingKeysAreDerivedOncePerDayRegionServiceAndSecret() throws {
        let cache = SigningKeyCache()
        let s3 = SigV4Signer(region: .usEast1, service: .s3, cache: cache)
        let route53 = SigV4Signer(region: .usEast1, service: .route53, cache: cache)
        let credentials = try Fixture.credentials()
        _ = try s3.sign(request(), credentials: credentials, date: Fixture.date)
        _ = try s3.sign(request(), credentials: credentials, date: Fixture.date.addingTimeInterval(3600))
        #expect(cache.derivationCount == 1)
        _ = try s3.sign(request(), credentials: credentials, date: Fixture.date.addingTimeInterval(86_400))
        _ = try route53.sign(request(), credentials: credentials, date: Fixture.date)
        #expect(cache.derivationCount == 3)
        let rotated = try AWSCredentials(accessKeyID: Fixture.accessKeyID, secretAccessKey: AWSSecret("rotated"))
        let first = try s3.sign(request(), credentials: rotated, date: Fixture.date)
        #expect(cache.derivationCount == 4)
        #expect(first.signature == (try SigV4Signer(region: .usEast1, service: .s3).sign(request(), credentials: rotated, date: Fixture.date).signature))
    }

    @Test func theKeyCacheGivesTheSameSignaturesFromManyTasks() async throws {
        let credentials = try Fixture.credentials()
        let expected = try s3.sign(request(), credentials: credentials, date: Fixture.date).signature
        let signer = s3
        let signatures = try await withThrowingTaskGroup(of: String.self) { group in
            for offset in 0..<200 {
                group.addTask {
                    let day = Double(offset % 4) * 86_400
                    let signed = try signer.sign(self.request(), credentials: credentials, date: Fixture.date.addingTimeInterval(day))
                    return offset % 4 == 0 ? signed.signature : expected
                }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(signatures == [expected])
    }

    @Test(arguments: [
        (951_782_400.0, "20000229T000000Z"), (0.999, "19700101T000000Z"), (1_709_251_199.999, "20240229T235959Z"),
        (4_107_542_400.0, "21000301T000000Z"), (253_402_300_799.0, "99991231T235959Z"),
    ])
    func signingTimesAreUTCWholeSeconds(_ seconds: Double, _ stamp: String) throws {
        let signed = try s3.sign(request(), credentials: Fixture.credentials(), date: Date(timeIntervalSince1970: seconds))
        #expect(signed.header("x-amz-date") == stamp)
        #expect(signed.stringToSign.contains("\n\(stamp.prefix(8))/us-east-1/s3/aws4_request\n"))
    }

    @Test func datesBefore1970AreRefused() {
        #expect(throws: AWSError.self) { try s3.sign(request(), credentials: try Fixture.credentials(), date: Date(timeIntervalSince1970: -1)) }
    }
}
