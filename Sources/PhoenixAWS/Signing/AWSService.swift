/// The signing name of an AWS service (`s3`, `route53`), the fourth part of a credential scope.
///
/// The name also selects the signer's S3 rules: S3 signs the path exactly as sent and requires
/// `x-amz-content-sha256`; every other service normalises and re-encodes the path.
public struct AWSService: Hashable, Sendable, CustomStringConvertible {
    /// The signing name.
    public let rawValue: String

    /// Wraps a signing name; the signer checks it (lowercase letters, digits and `-`).
    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    /// Amazon S3 (and S3-compatible stores such as moto).
    public static let s3 = AWSService("s3")
    /// Amazon Route 53, signed in `us-east-1`.
    public static let route53 = AWSService("route53")

    /// Whether S3's signing exceptions apply.
    public var isS3: Bool { rawValue == "s3" }

    /// The signing name.
    public var description: String { rawValue }
}
