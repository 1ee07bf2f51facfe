/// An AWS access key id such as `AKIDEXAMPLE`: public, unlike the secret that goes with it.
public struct AWSAccessKeyID: Hashable, Sendable, CustomStringConvertible {
    /// The id as AWS issued it.
    public let rawValue: String

    /// Wraps an id; `AWSCredentials.init` checks it.
    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    /// The id itself: it names the key, it does not grant access.
    public var description: String { rawValue }
}
