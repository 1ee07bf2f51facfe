import Foundation
import PhoenixAWS
import Testing

@Suite struct AWSCredentialsTests {
    @Test func descriptionShowsOnlyTheAccessKeyID() throws {
        let credentials = try Fixture.credentials(token: Fixture.token)
        #expect(credentials.description == "AWSCredentials(AKIDEXAMPLE)")
        let rendered = Fixture.renderings(of: credentials)
        #expect(!rendered.contains(Fixture.secret))
        #expect(!rendered.contains(Fixture.token))
    }

    @Test func secretsPrintAsStarsHoweverTheyArePrinted() {
        let secret = AWSSecret(Fixture.secret)
        #expect(secret.description == "***")
        #expect(!Fixture.renderings(of: secret).contains(Fixture.secret))
        #expect(!Fixture.renderings(of: [secret]).contains(Fixture.secret))
    }

    @Test func secretsCompareByValue() {
        #expect(AWSSecret("abc") == AWSSecret("abc"))
        #expect(AWSSecret("abc") != AWSSecret("abd"))
        #expect(AWSSecret("abc") != AWSSecret("abcd"))
    }

    @Test(arguments: ["", "AKID/EXAMPLE", "AKID,X", "AKID EXAMPLE", "AKIDé", String(repeating: "A", count: 129)])
    func rejectsAccessKeyIDsThatBreakTheCredentialScope(_ id: String) {
        #expect(throws: AWSError.self) { try AWSCredentials(accessKeyID: id, secretAccessKey: AWSSecret("s")) }
    }

    @Test func rejectsAnEmptySecret() {
        #expect(throws: AWSError.self) { try AWSCredentials(accessKeyID: "AKID", secretAccessKey: AWSSecret("")) }
    }

    @Test(arguments: ["", "SeKr1t\r\nx-injected: 1", "SeKr1t en", String(repeating: "SeKr1t", count: AWSCredentials.maxSessionTokenLength / 6 + 1)])
    func rejectsSessionTokensThatCannotBeAHeaderValue(_ token: String) {
        let error = #expect(throws: AWSError.self) {
            try AWSCredentials(accessKeyID: "AKID", secretAccessKey: AWSSecret("s"), sessionToken: AWSSecret(token))
        }
        #expect(error?.code == .invalidCredentials)
        #expect(error.map { !"\($0) \(String(reflecting: $0))".contains("SeKr1t") } ?? false)
    }

    @Test func longTermKeysNeverExpireAndTemporaryOnesExpireWithinTheMargin() throws {
        let now = Fixture.date
        #expect(try !Fixture.credentials().expires(within: .seconds(300), of: now))
        let temporary = try AWSCredentials(
            accessKeyID: "ASIA1", secretAccessKey: AWSSecret("s"), sessionToken: AWSSecret("t"), expiration: now.addingTimeInterval(600)
        )
        #expect(!temporary.expires(within: .seconds(300), of: now))
        #expect(temporary.expires(within: .seconds(300), of: now.addingTimeInterval(300)))
        #expect(temporary.expires(within: .zero, of: now.addingTimeInterval(600)))
    }
}
