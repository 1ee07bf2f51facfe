import FoundationEssentials

/// An access key id, its secret and, for temporary credentials, a session token and an expiry.
///
/// `description` shows only the access key id; the secret and the token print as `***` everywhere.
///
/// ```swift
/// let credentials = try AWSCredentials(
///     accessKeyID: "AKIDEXAMPLE",
///     secretAccessKey: AWSSecret(secretFromVault)
/// )
/// print(credentials)   // AWSCredentials(AKIDEXAMPLE)
/// ```
public struct AWSCredentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The public half of the key pair.
    public let accessKeyID: AWSAccessKeyID
    /// The private half; only the signer reads it.
    public let secretAccessKey: AWSSecret
    /// The STS session token of temporary credentials, sent as `x-amz-security-token`.
    public let sessionToken: AWSSecret?
    /// When temporary credentials stop working; `nil` for long-term keys.
    public let expiration: Date?

    /// The longest session token accepted. STS tokens are a few kilobytes; this only stops a
    /// hostile source from making us send a huge header.
    public static let maxSessionTokenLength = 16 * 1024

    /// Checks and wraps the parts of a credential.
    /// - Throws: `AWSError.invalidCredentials` if the key id is empty or not a visible-ASCII word
    ///   without `/` or `,` (it goes into `Credential=<id>/<scope>`), the secret is empty, or the
    ///   token is empty, too long or not visible ASCII (it goes into a header).
    public init(
        accessKeyID: String,
        secretAccessKey: AWSSecret,
        sessionToken: AWSSecret? = nil,
        expiration: Date? = nil
    ) throws(AWSError) {
        let idBytes = Array(accessKeyID.utf8)
        guard !idBytes.isEmpty, idBytes.count <= 128,
              idBytes.allSatisfy({ (0x21...0x7E).contains($0) && $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: ",") })
        else { throw AWSError(.invalidCredentials, "the access key id is not a visible-ASCII word without '/' or ','") }
        guard !secretAccessKey.isEmpty else { throw AWSError(.invalidCredentials, "the secret access key is empty") }
        if let token = sessionToken?.value {
            guard !token.isEmpty, token.utf8.count <= Self.maxSessionTokenLength,
                  token.utf8.allSatisfy({ (0x21...0x7E).contains($0) })
            else { throw AWSError(.invalidCredentials, "the session token is empty, too long or not visible ASCII") }
        }
        self.accessKeyID = AWSAccessKeyID(accessKeyID)
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
    }

    /// Whether the credentials expire within `margin` of `now` (never, for long-term keys).
    /// Refreshing a little early keeps a request signed just before expiry from being rejected.
    public func expires(within margin: Duration, of now: Date) -> Bool {
        guard let expiration else { return false }
        let seconds = Double(margin.components.seconds) + Double(margin.components.attoseconds) / 1e18
        return now.addingTimeInterval(seconds) >= expiration
    }

    /// `AWSCredentials(<access key id>)`: nothing secret.
    public var description: String { "AWSCredentials(\(accessKeyID.rawValue))" }

    /// The same as `description`, so `String(reflecting:)` and `dump` headers stay safe too.
    public var debugDescription: String { description }
}
