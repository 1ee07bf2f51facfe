/// Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`.
///
/// The environment is passed in as a dictionary rather than read from the process, so tests and
/// the composition root decide what it holds. Empty variables count as unset, as in botocore.
public struct EnvironmentCredentialsProvider: AWSCredentialsProvider {
    /// The variable holding the access key id.
    public static let accessKeyIDVariable = "AWS_ACCESS_KEY_ID"
    /// The variable holding the secret access key.
    public static let secretAccessKeyVariable = "AWS_SECRET_ACCESS_KEY"
    /// The variable holding the session token of temporary credentials.
    public static let sessionTokenVariable = "AWS_SESSION_TOKEN"
    /// The older name for the session token that botocore still reads.
    public static let legacySessionTokenVariable = "AWS_SECURITY_TOKEN"

    private let environment: [String: String]

    /// A provider reading `environment` (typically `ProcessInfo.processInfo.environment`).
    public init(environment: [String: String]) {
        self.environment = environment
    }

    /// `"environment"`.
    public var name: String { "environment" }

    /// The credentials the variables describe.
    /// - Throws: `.credentialsNotFound` if neither key variable is set; `.missingCredentialKey`
    ///   naming the missing variable if only one is; `.invalidCredentials` for unusable values.
    public func credentials() async throws(AWSError) -> AWSCredentials {
        let id = value(Self.accessKeyIDVariable)
        let secret = value(Self.secretAccessKeyVariable)
        switch (id, secret) {
        case (nil, nil):
            throw AWSError(.credentialsNotFound, "\(Self.accessKeyIDVariable) is not set")
        case (_?, nil):
            throw AWSError(.missingCredentialKey, "\(Self.accessKeyIDVariable) is set but \(Self.secretAccessKeyVariable) is not")
        case (nil, _?):
            throw AWSError(.missingCredentialKey, "\(Self.secretAccessKeyVariable) is set but \(Self.accessKeyIDVariable) is not")
        case let (id?, secret?):
            let token = value(Self.sessionTokenVariable) ?? value(Self.legacySessionTokenVariable)
            return try AWSCredentials(
                accessKeyID: id,
                secretAccessKey: AWSSecret(secret),
                sessionToken: token.map(AWSSecret.init)
            )
        }
    }

    private func value(_ name: String) -> String? {
        guard let value = environment[name], !value.isEmpty else { return nil }
        return value
    }
}
