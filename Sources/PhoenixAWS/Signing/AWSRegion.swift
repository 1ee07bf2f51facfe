/// An AWS region such as `us-east-1`, the third part of a SigV4 credential scope.
public struct AWSRegion: Hashable, Sendable, CustomStringConvertible {
    /// The region name as AWS spells it.
    public let rawValue: String

    /// Wraps a region name; the signer checks it (lowercase letters, digits and `-`).
    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    /// N. Virginia, also the signing region of global services such as Route 53.
    public static let usEast1 = AWSRegion("us-east-1")

    /// The region name.
    public var description: String { rawValue }
}
