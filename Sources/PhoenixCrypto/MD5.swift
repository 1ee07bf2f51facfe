import COpenSSL

/// MD5 over libcrypto's EVP interface, for the one place a protocol still demands it: S3's
/// `Content-MD5` on DeleteObjects and PutBucketLifecycleConfiguration. It is a transport
/// checksum there, never a security property: use SHA-256 for anything that must resist tampering.
public enum MD5 {
    /// The 16-byte digest of `bytes`.
    public static func digest(_ bytes: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: 16)
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBytes { raw in
            output.withUnsafeMutableBytes { out in
                EVP_Digest(raw.baseAddress, raw.count, out.baseAddress?.assumingMemoryBound(to: UInt8.self), &length, EVP_md5(), nil)
            }
        }
        precondition(ok == 1 && length == 16, "EVP_Digest(MD5) failed")
        return output
    }
}
