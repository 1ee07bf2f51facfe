import COpenSSL

/// The one error type of PhoenixCrypto.
///
/// `description` is safe to show an API client: it never contains key bytes, plaintext or
/// libcrypto's error strings (which may name internal provider details); `debugDescription`
/// adds the packed libcrypto error code for logs.
public enum CryptoError: Error, Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The random generator could not produce bytes (not seeded).
    case randomUnavailable
    /// A key had the wrong length for the algorithm.
    case invalidKeySize(expected: Int, actual: Int)
    /// A nonce had the wrong length (AES-GCM here uses exactly 12 bytes).
    case invalidNonceSize(expected: Int, actual: Int)
    /// A sealed buffer is shorter than its authentication tag.
    case sealedBufferTooShort(Int)
    /// An HKDF output length outside 1...8160 (RFC 5869 §2.3: at most 255 × HashLen).
    case invalidOutputCount(Int)
    /// The tag did not match: the ciphertext, nonce, AAD or key differ from the sealing ones.
    case authenticationFailed
    /// A libcrypto call failed; `code` is `ERR_get_error()` read right after the call.
    case library(operation: String, code: UInt)

    /// Builds `.library`, reading libcrypto's error queue immediately (STYLE.md: before cleanup).
    static func libraryFailure(_ operation: String) -> CryptoError {
        let code = ERR_get_error()
        // Drop whatever else the failing call queued so it cannot leak into a later error.
        ERR_clear_error()
        return .library(operation: operation, code: code)
    }

    public var description: String {
        switch self {
        case .randomUnavailable: "the random number generator is unavailable"
        case .invalidKeySize(let expected, let actual): "key must be \(expected) bytes, got \(actual)"
        case .invalidNonceSize(let expected, let actual): "nonce must be \(expected) bytes, got \(actual)"
        case .sealedBufferTooShort(let count): "sealed buffer of \(count) bytes is shorter than its tag"
        case .invalidOutputCount(let count): "derived key length \(count) is outside 1...8160 bytes"
        case .authenticationFailed: "authentication failed"
        case .library(let operation, _): "cryptographic operation \(operation) failed"
        }
    }

    public var debugDescription: String {
        switch self {
        case .library(let operation, let code):
            "CryptoError.library(\(operation), code: 0x\(String(code, radix: 16)))"
        default:
            "CryptoError(\(description))"
        }
    }
}
