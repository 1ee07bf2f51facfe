import Foundation
import Glibc
import PhoenixAWS
import Testing

@Suite struct SharedCredentialsFileProviderTests {
    static let file = "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = s1\n\n[prod]\naws_access_key_id = AKIDPROD\naws_secret_access_key = s2\n"

    @Test func readsTheDefaultProfileUnderHome() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        try home.write(".aws/credentials", Self.file)
        let provider = SharedCredentialsFileProvider(environment: ["HOME": home.path])
        #expect(provider.path == home.path + "/.aws/credentials")
        #expect(try await provider.credentials().accessKeyID == AWSAccessKeyID("AKIDDEFAULT"))
    }

    @Test func awsProfileAndTheFileVariableChooseWhatIsRead() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        try home.write("elsewhere/creds.ini", Self.file)
        let provider = SharedCredentialsFileProvider(environment: [
            "HOME": home.path, "AWS_SHARED_CREDENTIALS_FILE": "~/elsewhere/creds.ini", "AWS_PROFILE": "prod",
        ])
        #expect(provider.path == home.path + "/elsewhere/creds.ini")
        #expect(try await provider.credentials().accessKeyID == AWSAccessKeyID("AKIDPROD"))
    }

    @Test func aMissingFileOrHomeIsNotFound() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        for environment in [["HOME": home.path], [:]] {
            let error = await #expect(throws: AWSError.self) { try await SharedCredentialsFileProvider(environment: environment).credentials() }
            #expect(error?.code == .credentialsNotFound)
        }
    }

    @Test func anImplicitDefaultProfileMayBeAbsentButAChosenProfileMayNot() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        try home.write(".aws/credentials", "[prod]\naws_access_key_id = A\naws_secret_access_key = s\n")
        let implicit = await #expect(throws: AWSError.self) { try await SharedCredentialsFileProvider(environment: ["HOME": home.path]).credentials() }
        #expect(implicit?.code == .credentialsNotFound)
        let chosen = await #expect(throws: AWSError.self) {
            try await SharedCredentialsFileProvider(environment: ["HOME": home.path, "AWS_PROFILE": "staging"]).credentials()
        }
        #expect(chosen?.code == .profileNotFound)
    }

    @Test func parseErrorsKeepTheLineNumberAndLogThePath() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let path = try home.write(".aws/credentials", "[default]\naws_access_key_id = A\noops\n")
        let error = await #expect(throws: AWSError.self) { try await SharedCredentialsFileProvider(environment: ["HOME": home.path]).credentials() }
        #expect(error?.lineNumber == 3)
        #expect(error?.description.contains(path) == false)
        #expect(error?.debugDescription.contains(path) == true)
    }

    @Test func aFileOverTheLimitIsRefusedUnread() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let big = "[default]\n" + String(repeating: "# padding padding padding\n", count: 50_000)
        try home.write(".aws/credentials", big)
        let error = await #expect(throws: AWSError.self) { try await SharedCredentialsFileProvider(environment: ["HOME": home.path]).credentials() }
        #expect(error?.code == .credentialsFileRefused)
        let small = SharedCredentialsFileProvider(environment: ["HOME": home.path], maxFileSize: 1_024)
        try home.write(".aws/credentials", String(repeating: "#", count: 1_025))
        await #expect(throws: AWSError.self) { try await small.credentials() }
    }

    @Test(arguments: ["/dev/zero", "/dev/null"])
    func devicesAreRefused(_ device: String) async {
        let error = await #expect(throws: AWSError.self) {
            try await SharedCredentialsFileProvider(environment: ["AWS_SHARED_CREDENTIALS_FILE": device]).credentials()
        }
        #expect(error?.code == .credentialsFileRefused)
    }

    @Test func aDirectoryOrAFIFOIsRefusedWithoutBlocking() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let fifo = home.path + "/fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        for path in [home.path, fifo] {
            let error = await #expect(throws: AWSError.self) {
                try await SharedCredentialsFileProvider(environment: ["AWS_SHARED_CREDENTIALS_FILE": path]).credentials()
            }
            #expect(error?.code == .credentialsFileRefused)
        }
    }

    @Test func aSymlinkToTheFileIsFollowed() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let target = try home.write("dotfiles/aws-credentials", Self.file)
        try FileManager.default.createDirectory(atPath: home.path + "/.aws", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: home.path + "/.aws/credentials", withDestinationPath: target)
        #expect(try await SharedCredentialsFileProvider(environment: ["HOME": home.path]).credentials().accessKeyID == AWSAccessKeyID("AKIDDEFAULT"))
    }
}
