/// A Vault source or restore failure, in words an operator can act on.
///
/// `description` never holds the token: every text that came from the server or the transport
/// passes through `VaultEndpoint.redact` before it gets here.
public struct VaultError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is; the set grows, so match with `default`.
    public enum Code: Sendable, Hashable {
        /// The configuration is unusable (an address that is not http(s)).
        case invalidSettings
        /// Vault could not be reached, or the transfer broke off.
        case transport
        /// The node is sealed.
        case sealed
        /// The node has not been initialised.
        case uninitialized
        /// The node is a standby (or performance standby, or DR secondary), not the active node.
        case notActive
        /// The token was refused (403).
        case permissionDenied
        /// Vault answered with an error status.
        case rejected
        /// The answer is not what Vault sends (HTML from a proxy, not a snapshot).
        case unexpectedAnswer
    }

    public let code: Code
    public let description: String

    public init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }
}
