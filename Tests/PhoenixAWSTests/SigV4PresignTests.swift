import Foundation
import PhoenixAWS
import Testing

@Suite struct SigV4PresignTests {
    let s3 = SigV4Signer(region: .usEast1, service: .s3)
    let object = SigV4Request(method: "GET", host: "127.0.0.1:5055", path: "/dr-backups/k")

    @Test(arguments: [Duration.zero, .seconds(604_801), .milliseconds(1_500), .seconds(-5)])
    func refusesAnExpiryOutsideOneSecondToSevenDays(_ expires: Duration) {
        #expect(throws: AWSError.self) { try s3.presign(object, credentials: try Fixture.credentials(), date: Fixture.date, expires: expires) }
    }

    @Test func refusesAQueryThatAlreadyCarriesAuthParameters() {
        var request = object
        request.query = [.init(name: "x-amz-signature", value: "forged")]
        #expect(throws: AWSError.self) { try s3.presign(request, credentials: try Fixture.credentials(), date: Fixture.date, expires: .seconds(60)) }
    }

    @Test func anExtraHeaderIsSignedAndMustBeSent() throws {
        var request = object
        request.headers = [.init(name: "Range", value: "bytes=0-99")]
        let presigned = try s3.presign(request, credentials: Fixture.credentials(), date: Fixture.date, expires: .seconds(60))
        #expect(presigned.target.contains("X-Amz-SignedHeaders=host%3Brange&"))
        #expect(presigned.headers.map(\.name) == ["host", "Range"])
    }

    @Test func descriptionsShowNeitherTheSignatureNorTheToken() throws {
        let credentials = try Fixture.credentials(token: Fixture.token)
        let presigned = try s3.presign(object, credentials: credentials, date: Fixture.date, expires: .seconds(3600))
        #expect(presigned.description == "PresignedRequest(GET /dr-backups/k, expires 3600 seconds)")
        let signed = try s3.sign(object, credentials: credentials, date: Fixture.date)
        #expect(signed.description == "SignedRequest(GET /dr-backups/k)")
        for rendered in [Fixture.renderings(of: presigned), Fixture.renderings(of: signed)] {
            #expect(!rendered.contains(Fixture.token))
            #expect(!rendered.contains(presigned.signature) && !rendered.contains(signed.signature))
        }
    }
}
