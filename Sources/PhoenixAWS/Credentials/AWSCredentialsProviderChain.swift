/// Tries providers in order and returns the first credentials found.
///
/// ```swift
/// let chain = AWSCredentialsProviderChain([
///     EnvironmentCredentialsProvider(environment: environment),
///     SharedCredentialsFileProvider(environment: environment),
/// ])
/// let credentials = try await chain.credentials()
/// ```
public struct AWSCredentialsProviderChain: AWSCredentialsProvider {
    /// The providers, in the order they are asked.
    public let providers: [any AWSCredentialsProvider]

    /// A chain over `providers`, asked in order.
    public init(_ providers: [any AWSCredentialsProvider]) {
        self.providers = providers
    }

    /// `chain(environment, shared-credentials-file, ...)`.
    public var name: String { "chain(" + providers.map(\.name).joined(separator: ", ") + ")" }

    /// The first provider's credentials that does not throw `.credentialsNotFound`.
    /// - Throws: the first other error unchanged, or `.credentialsNotFound` naming every source.
    public func credentials() async throws(AWSError) -> AWSCredentials {
        var reasons: [String] = []
        for provider in providers {
            do throws(AWSError) {
                return try await provider.credentials()
            } catch where error.code == .credentialsNotFound {
                reasons.append("\(provider.name): \(error.debugDescription)")
            }
        }
        throw AWSError(
            .credentialsNotFound,
            "tried " + providers.map(\.name).joined(separator: ", "),
            message: reasons.joined(separator: "; ")
        )
    }
}
