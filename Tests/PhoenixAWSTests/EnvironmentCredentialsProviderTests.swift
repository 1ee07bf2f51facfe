import PhoenixAWS
import Testing

@Suite struct EnvironmentCredentialsProviderTests {
    @Test func readsBothKeysAndTheSessionToken() async throws {
        let provider = EnvironmentCredentialsProvider(environment: [
            "AWS_ACCESS_KEY_ID": Fixture.accessKeyID, "AWS_SECRET_ACCESS_KEY": Fixture.secret, "AWS_SESSION_TOKEN": Fixture.token,
        ])
        let credentials = try await provider.credentials()
        #expect(credentials.accessKeyID == AWSAccessKeyID(Fixture.accessKeyID))
        #expect(credentials.secretAccessKey == AWSSecret(Fixture.secret))
        #expect(credentials.sessionToken == AWSSecret(Fixture.token))
        #expect(credentials.expiration == nil)
    }

    @Test func readsTheLegacySecurityTokenName() async throws {
        let provider = EnvironmentCredentialsProvider(environment: [
            "AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "s", "AWS_SECURITY_TOKEN": "legacy",
        ])
        #expect(try await provider.credentials().sessionToken == AWSSecret("legacy"))
    }

    @Test func noVariablesMeansNotFoundSoAChainMovesOn() async {
        let error = await #expect(throws: AWSError.self) {
            try await EnvironmentCredentialsProvider(environment: ["HOME": "/root"]).credentials()
        }
        #expect(error?.code == .credentialsNotFound)
    }

    @Test func emptyVariablesCountAsUnset() async {
        let error = await #expect(throws: AWSError.self) {
            try await EnvironmentCredentialsProvider(environment: ["AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""]).credentials()
        }
        #expect(error?.code == .credentialsNotFound)
    }

    @Test func aHalfSetEnvironmentNamesTheMissingVariable() async {
        let noSecret = await #expect(throws: AWSError.self) {
            try await EnvironmentCredentialsProvider(environment: ["AWS_ACCESS_KEY_ID": "AKID"]).credentials()
        }
        #expect(noSecret?.code == .missingCredentialKey)
        #expect(noSecret?.description.contains("AWS_SECRET_ACCESS_KEY is not") == true)
        let noID = await #expect(throws: AWSError.self) {
            try await EnvironmentCredentialsProvider(environment: ["AWS_SECRET_ACCESS_KEY": Fixture.secret]).credentials()
        }
        #expect(noID?.description.contains("AWS_ACCESS_KEY_ID is not") == true)
        #expect(noID.map { !"\($0) \(String(reflecting: $0))".contains(Fixture.secret) } ?? false)
    }
}
