/// Credentials written in the configuration (`backup.s3.access_key_id` and `secret_access_key`),
/// checked once when the store is built.
public struct StaticCredentialsProvider: AWSCredentialsProvider {
    private let value: AWSCredentials

    /// A provider that always answers `credentials`.
    public init(_ credentials: AWSCredentials) {
        value = credentials
    }

    /// `"configuration"`.
    public var name: String { "configuration" }

    /// The configured credentials.
    public func credentials() async throws(AWSError) -> AWSCredentials { value }
}
