import PhoenixCrypto

/// Incremental SHA-256 of content that never sits in memory whole: PhoenixCrypto's hasher in a
/// class, so the archiver and the tally can hold one as optional, shared state.
final class ContentHasher {
    private var hasher = SHA256.Hasher()

    /// Adds `bytes` to the digest.
    func update(_ bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBytes { hasher.update($0) }
    }

    /// Adds `count` zero bytes (content a shrinking file no longer had).
    func updateZeros(_ count: Int64) {
        let zeros = [UInt8](repeating: 0, count: Int(min(count, 64 * 1024)))
        var left = count
        while left > 0 {
            let piece = Int(min(left, Int64(zeros.count)))
            update(zeros[0..<piece])
            left -= Int64(piece)
        }
    }

    /// The 32-byte digest. Call once; the hasher is spent afterwards.
    func finalize() -> [UInt8] {
        hasher.finalize()
    }
}
