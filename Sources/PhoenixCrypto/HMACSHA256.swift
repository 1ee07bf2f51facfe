import COpenSSL

/// HMAC-SHA256 (RFC 2104) through libcrypto's one-shot `HMAC()`.
public enum HMACSHA256 {
    /// The 32-byte HMAC-SHA256 of `message` under `key` (any key length; RFC 2104 §2 hashes long keys).
    public static func authenticate(_ message: some Collection<UInt8>, key: some Collection<UInt8>) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let ok = key.withUnsafeContiguousBytes { keyBytes in
            message.withUnsafeContiguousBytes { messageBytes in
                output.withUnsafeMutableBufferPointer { out in
                    // An empty Swift buffer may have a nil base address, and in OpenSSL 3 a NULL key
                    // reaches EVP_MAC_init, where NULL means "reuse the previous key" (EVP_MAC_init(3)),
                    // not "the empty key"; point at a stand-in byte instead (never read, length 0).
                    withUnsafeBytes(of: UInt8(0)) { standIn in
                        HMAC(
                            EVP_sha256(),
                            keyBytes.baseAddress ?? standIn.baseAddress,
                            Int32(keyBytes.count),
                            messageBytes.baseAddress?.assumingMemoryBound(to: UInt8.self),
                            messageBytes.count,
                            out.baseAddress,
                            &length
                        ) != nil
                    }
                }
            }
        }
        // HMAC() fails only when libcrypto cannot allocate its context (as in `SHA256.digest`).
        precondition(ok && length == 32, "HMAC(SHA-256) failed")
        return output
    }
}
