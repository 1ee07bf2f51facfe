import PhoenixCrypto

/// Making tokens for `phoenix-dr token create` and the first-start admin token.
public enum APIToken {
    /// A new random token (`pdr_` and 64 hex digits) and the SHA-256 hash to put in the config.
    public static func make() throws -> (token: String, sha256: String) {
        let token = "pdr_" + Hex.encode(try SecureRandom.bytes(32))
        return (token, SHA256.hex(Array(token.utf8)))
    }
}
