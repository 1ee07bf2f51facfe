import COpenSSL

/// HKDF (RFC 5869) over libcrypto's `EVP_KDF` "HKDF" implementation.
public enum HKDF {
    /// The largest output RFC 5869 §2.3 allows for SHA-256: 255 × 32 bytes.
    public static let maximumOutputCount = 255 * 32

    /// Extract-then-expand HKDF-SHA256.
    /// - Parameters:
    ///   - inputKey: the input keying material (IKM), for example a master key.
    ///   - salt: a non-secret random value; empty means 32 zero bytes (RFC 5869 §2.2).
    ///   - info: context that binds the output to its purpose (distinct labels give independent keys).
    ///   - outputCount: bytes of output keying material, 1...8160.
    /// - Throws: `CryptoError.invalidOutputCount`, or `.library` if libcrypto fails.
    public static func sha256(
        inputKey: some Collection<UInt8>,
        salt: some Collection<UInt8>,
        info: some Collection<UInt8>,
        outputCount: Int
    ) throws(CryptoError) -> [UInt8] {
        guard (1...maximumOutputCount).contains(outputCount) else { throw .invalidOutputCount(outputCount) }
        guard let kdf = EVP_KDF_fetch(nil, "HKDF", nil) else { throw .libraryFailure("EVP_KDF_fetch") }
        // The context keeps its own reference to the algorithm.
        defer { EVP_KDF_free(kdf) }
        guard let context = EVP_KDF_CTX_new(kdf) else { throw .libraryFailure("EVP_KDF_CTX_new") }
        defer { EVP_KDF_CTX_free(context) }

        var output = [UInt8](repeating: 0, count: outputCount)
        let ok = inputKey.withUnsafeContiguousBytes { key in
            salt.withUnsafeContiguousBytes { salt in
                info.withUnsafeContiguousBytes { info in
                    output.withUnsafeMutableBufferPointer { out in
                        withUnsafeBytes(of: UInt8(0)) { standIn in
                            // The shim needs a non-NULL key pointer even for an empty IKM.
                            phx_kdf_derive_hkdf_sha256(
                                context,
                                (key.baseAddress ?? standIn.baseAddress)?.assumingMemoryBound(to: UInt8.self), key.count,
                                salt.baseAddress?.assumingMemoryBound(to: UInt8.self), salt.count,
                                info.baseAddress?.assumingMemoryBound(to: UInt8.self), info.count,
                                out.baseAddress, out.count
                            )
                        }
                    }
                }
            }
        }
        guard ok == 1 else { throw .libraryFailure("EVP_KDF_derive") }
        return output
    }
}
