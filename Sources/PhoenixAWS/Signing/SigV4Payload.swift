import PhoenixCrypto

/// What the signature says about the body: its SHA-256, or nothing.
public enum SigV4Payload: Sendable, Hashable {
    /// The lowercase hex SHA-256 of the exact bytes sent.
    case sha256(hex: String)
    /// `UNSIGNED-PAYLOAD`: the body is not covered (S3 only, and only worth it over TLS for large
    /// streamed uploads whose hash is not known in advance).
    case unsigned

    /// The hash of an empty body, for GET, HEAD and DELETE.
    public static let empty = SigV4Payload.sha256(hex: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")

    /// The hash of `body`.
    public static func bytes(_ body: some Collection<UInt8>) -> SigV4Payload {
        .sha256(hex: SHA256.hex(body))
    }

    /// The last line of the canonical request and the `x-amz-content-sha256` value.
    var canonicalValue: String {
        switch self {
        case .sha256(let hex): hex
        case .unsigned: "UNSIGNED-PAYLOAD"
        }
    }

    /// Whether a precomputed hash really is 64 lowercase hex digits.
    var isWellFormed: Bool {
        guard case .sha256(let hex) = self else { return true }
        return hex.utf8.count == 64 && hex.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
