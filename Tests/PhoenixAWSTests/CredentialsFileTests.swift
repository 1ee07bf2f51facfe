import PhoenixAWS
import Testing

@Suite struct CredentialsFileTests {
    /// Parses `text` expecting failure.
    func failure(_ text: String) -> AWSError? {
        #expect(throws: AWSError.self) { try CredentialsFile.parse(Array(text.utf8)) }
    }

    @Test func readsProfilesCommentsAndBothSeparators() throws {
        let file = try CredentialsFile.parse(Array("""
        # written by aws configure
        [default]
        aws_access_key_id = AKIDEXAMPLE
        ; a comment
        AWS_Secret_Access_Key=\(Fixture.secret)

        [prod]
        aws_access_key_id: AKIDPROD
        aws_secret_access_key :  abc#def;ghi:j=k  \n
        """.utf8))
        #expect(file.profileNames == ["default", "prod"])
        #expect(try file.credentials(profile: "default").secretAccessKey == AWSSecret(Fixture.secret))
        // No inline comments: '#' and ';' belong to the secret, as in botocore's configparser.
        #expect(try file.credentials(profile: "prod").secretAccessKey == AWSSecret("abc#def;ghi:j=k"))
    }

    @Test func acceptsCRLFLinesAndAByteOrderMark() throws {
        let text = "\u{FEFF}[default]\r\naws_access_key_id = AKID\r\naws_secret_access_key = s\r\n"
        #expect(try CredentialsFile.parse(Array(text.utf8)).credentials(profile: "default").accessKeyID == AWSAccessKeyID("AKID"))
    }

    @Test func readsTheSessionTokenUnderEitherName() throws {
        let current = try CredentialsFile.parse(Array("[a]\naws_access_key_id=A\naws_secret_access_key=s\naws_session_token=T1\n".utf8))
        #expect(try current.credentials(profile: "a").sessionToken == AWSSecret("T1"))
        let legacy = try CredentialsFile.parse(Array("[a]\naws_access_key_id=A\naws_secret_access_key=s\naws_security_token=T2\n".utf8))
        #expect(try legacy.credentials(profile: "a").sessionToken == AWSSecret("T2"))
    }

    @Test func errorsGiveTheLineNumber() {
        #expect(failure("aws_access_key_id = A\n")?.lineNumber == 1)
        #expect(failure("[default]\nx = 1\n[default\n")?.lineNumber == 3)
        #expect(failure("[default]\n\n\njust some words\n")?.lineNumber == 4)
        #expect(failure("[]\n")?.lineNumber == 1)
        #expect(failure("[default]\n  indented = 1\n")?.lineNumber == 2)
        #expect(failure("[default]\n= value\n")?.lineNumber == 2)
    }

    @Test func aRepeatedSectionOrKeyNamesBothLines() {
        let section = failure("[a]\nx=1\n[b]\n[a]\n")
        #expect(section?.lineNumber == 4)
        #expect(section?.description.contains("first at line 1") == true)
        let key = failure("[a]\naws_access_key_id=A\nAWS_ACCESS_KEY_ID=B\n")
        #expect(key?.lineNumber == 3)
        #expect(key?.description.contains("'aws_access_key_id' is repeated in profile 'a' (first at line 2)") == true)
    }

    @Test func invalidUTF8IsReportedOnItsLine() {
        let bytes = Array("[a]\nx=1\n".utf8) + [0x79, 0x3D, 0xC3, 0x28, 0x0A]
        let error = #expect(throws: AWSError.self) { try CredentialsFile.parse(bytes) }
        #expect(error?.lineNumber == 3)
    }

    @Test func errorsNeverQuoteTheOffendingLine() {
        // A pasted secret without a key is the classic mistake; it must not end up in a log.
        let error = failure("[default]\n\(Fixture.secret)\n")
        #expect(error?.lineNumber == 2)
        #expect(error.map { !"\($0) \(String(reflecting: $0))".contains("wJalrXUtnFEMI") } ?? false)
    }

    @Test func missingKeysAreNamed() throws {
        let file = try CredentialsFile.parse(Array("[a]\naws_access_key_id=A\n[b]\nregion=us-east-1\n[c]\naws_access_key_id=A\naws_secret_access_key=\n".utf8))
        let noSecret = #expect(throws: AWSError.self) { try file.credentials(profile: "a") }
        #expect(noSecret?.code == .missingCredentialKey)
        #expect(noSecret?.lineNumber == 1)
        #expect(noSecret?.description == "AWS credentials incomplete at line 1: profile 'a' has no aws_secret_access_key")
        let neither = #expect(throws: AWSError.self) { try file.credentials(profile: "b") }
        #expect(neither?.description.contains("has no aws_access_key_id and aws_secret_access_key") == true)
        let empty = #expect(throws: AWSError.self) { try file.credentials(profile: "c") }
        #expect(empty?.description.contains("has no aws_secret_access_key") == true)
    }

    @Test func anAbsentProfileIsNotFound() throws {
        let file = try CredentialsFile.parse(Array("[a]\n".utf8))
        let error = #expect(throws: AWSError.self) { try file.credentials(profile: "prod") }
        #expect(error?.code == .profileNotFound)
    }

    @Test func aSecretContinuedOnIndentedLinesIsAnErrorAtItsKey() throws {
        let file = try CredentialsFile.parse(Array("[a]\naws_access_key_id=A\naws_secret_access_key=abc\n  def\n".utf8))
        let error = #expect(throws: AWSError.self) { try file.credentials(profile: "a") }
        #expect(error?.code == .malformedCredentialsFile)
        #expect(error?.lineNumber == 3)
    }

    @Test func nestedSettingsOfOtherKeysAreIgnored() throws {
        let text = "[a]\ns3 =\n  addressing_style = path\naws_access_key_id=A\naws_secret_access_key=s\n"
        #expect(try CredentialsFile.parse(Array(text.utf8)).credentials(profile: "a").accessKeyID == AWSAccessKeyID("A"))
    }
}
