import PhoenixCrypto

/// A secret string (a secret access key or a session token) that never prints.
///
/// `description`, `debugDescription`, string interpolation, `dump` and `Mirror` all show `***`.
/// Only this module reads the value, to derive signing keys and to send the session token.
/// Deliberately not `Codable` and not `ExpressibleByStringLiteral`: secrets are neither written out
/// by accident nor typed into source.
public struct AWSSecret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The secret itself. Internal: nothing outside the signer has a reason to read it.
    let value: String

    /// Wraps `value`.
    public init(_ value: String) {
        self.value = value
    }

    /// Whether the secret is the empty string.
    public var isEmpty: Bool { value.isEmpty }

    /// Always `***`.
    public var description: String { "***" }

    /// Always `***`.
    public var debugDescription: String { "***" }

    /// No children, so `dump` and debuggers' reflection print only `***`.
    public var customMirror: Mirror { Mirror(self, children: [:]) }

    /// Compares every byte whichever byte differs, so the time taken does not reveal a prefix.
    public static func == (lhs: AWSSecret, rhs: AWSSecret) -> Bool {
        ConstantTime.equals(Array(lhs.value.utf8), Array(rhs.value.utf8))
    }
}
