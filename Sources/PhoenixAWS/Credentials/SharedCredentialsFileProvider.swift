/// Credentials from the shared credentials file, as the AWS CLI and SDKs find it.
///
/// The file is `AWS_SHARED_CREDENTIALS_FILE` if set (a leading `~/` means `HOME`), else
/// `$HOME/.aws/credentials`; the profile is `AWS_PROFILE`, else `default`. The environment is passed
/// in, and the file is read on every call (callers cache through `CachingCredentialsProvider`).
/// Files over `maxFileSize` and anything but regular files are refused unread.
public struct SharedCredentialsFileProvider: AWSCredentialsProvider {
    /// The variable naming another credentials file.
    public static let fileVariable = "AWS_SHARED_CREDENTIALS_FILE"
    /// The variable naming the profile.
    public static let profileVariable = "AWS_PROFILE"
    /// The profile used when `AWS_PROFILE` is unset or empty.
    public static let defaultProfile = "default"
    /// Real credentials files are a few kilobytes; anything near a megabyte is not one.
    public static let defaultMaxFileSize = 1 << 20

    private let environment: [String: String]
    private let maxFileSize: Int

    /// A provider that resolves the file and profile from `environment`.
    public init(environment: [String: String], maxFileSize: Int = Self.defaultMaxFileSize) {
        self.environment = environment
        self.maxFileSize = maxFileSize
    }

    /// `"shared-credentials-file"`.
    public var name: String { "shared-credentials-file" }

    /// The path read, or `nil` when neither the variable nor `HOME` is set.
    public var path: String? {
        if let path = environment[Self.fileVariable], !path.isEmpty {
            guard path.hasPrefix("~/") else { return path }
            guard let home = environment["HOME"], !home.isEmpty else { return nil }
            return home + path.dropFirst()
        }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return home + "/.aws/credentials"
    }

    /// The profile read.
    public var profile: String {
        guard let name = environment[Self.profileVariable], !name.isEmpty else { return Self.defaultProfile }
        return name
    }

    /// The profile's credentials.
    /// - Throws: `.credentialsNotFound` if there is no file, or the implicit `default` profile is
    ///   absent; `.profileNotFound` if an explicitly chosen profile is absent; parse and key errors
    ///   from `CredentialsFile`; `.credentialsFileRefused`/`.credentialsFileUnreadable`.
    public func credentials() async throws(AWSError) -> AWSCredentials {
        guard let path else { throw AWSError(.credentialsNotFound, "HOME is not set") }
        guard case .contents(let bytes) = try BoundedFileReader.load(path, limit: maxFileSize) else {
            throw AWSError(.credentialsNotFound, "no shared credentials file", message: path)
        }
        let file: CredentialsFile
        do throws(AWSError) {
            file = try CredentialsFile.parse(bytes)
        } catch {
            throw AWSError(error.code, error.detail, lineNumber: error.lineNumber, message: path)
        }
        let explicit = environment[Self.profileVariable].map { !$0.isEmpty } ?? false
        if !explicit, !file.contains(profile: profile) {
            throw AWSError(.credentialsNotFound, "no profile '\(profile)'", message: path)
        }
        return try file.credentials(profile: profile)
    }
}
