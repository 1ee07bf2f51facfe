/// A source of AWS credentials: the environment, the shared credentials file, instance metadata.
///
/// A source that simply has nothing throws `AWSError.credentialsNotFound`, so that
/// `AWSCredentialsProviderChain` moves on. Every other error means the source is configured but
/// broken (a malformed file, a half-set environment) and stops the chain, as botocore does: falling
/// through to another identity would hide the mistake and act as the wrong principal.
public protocol AWSCredentialsProvider: Sendable {
    /// A short name for diagnostics, such as `"environment"`.
    var name: String { get }

    /// Current credentials.
    /// - Throws: `AWSError`; `.credentialsNotFound` when this source has none.
    func credentials() async throws(AWSError) -> AWSCredentials
}
