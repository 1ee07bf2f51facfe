import COpenSSL

/// Cryptographically secure random bytes from libcrypto's RAND_bytes.
public enum SecureRandom {
    /// `count` random bytes.
    /// - Throws: `CryptoError.randomUnavailable` if the generator is not seeded.
    public static func bytes(_ count: Int) throws(CryptoError) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: count)
        let ok = output.withUnsafeMutableBytes { RAND_bytes($0.baseAddress?.assumingMemoryBound(to: UInt8.self), Int32(count)) }
        guard ok == 1 else { throw .randomUnavailable }
        return output
    }
}

/// Comparison whose time does not depend on where the inputs differ (for token hashes).
public enum ConstantTime {
    /// Whether `a` equals `b`, looking at every byte either way.
    public static func equals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
