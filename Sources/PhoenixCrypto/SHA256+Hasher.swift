import COpenSSL

extension SHA256 {
    /// Incremental SHA-256 over libcrypto's `EVP_MD_CTX`, for data that arrives in pieces.
    ///
    /// ```swift
    /// var hasher = SHA256.Hasher()
    /// hasher.update(header)
    /// hasher.update(chunk)
    /// let digest = hasher.finalize()   // 32 bytes; the hasher is empty again
    /// ```
    ///
    /// Noncopyable because it is the one owner of its context (STYLE.md): a copy would share the
    /// running state, and `deinit` frees the context exactly once.
    public struct Hasher: ~Copyable {
        private let context: OpaquePointer

        /// An empty hasher.
        public init() {
            // Like `SHA256.digest`, these fail only when libcrypto cannot allocate a few bytes.
            guard let context = EVP_MD_CTX_new() else { preconditionFailure("EVP_MD_CTX_new failed") }
            guard EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else {
                EVP_MD_CTX_free(context)
                preconditionFailure("EVP_DigestInit_ex(SHA-256) failed")
            }
            self.context = context
        }

        deinit {
            EVP_MD_CTX_free(context)
        }

        /// Feeds `bytes` into the running digest.
        public mutating func update(_ bytes: UnsafeRawBufferPointer) {
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
            let ok = EVP_DigestUpdate(context, base, bytes.count)
            precondition(ok == 1, "EVP_DigestUpdate(SHA-256) failed")
        }

        /// Feeds `bytes` into the running digest.
        public mutating func update(_ bytes: some Collection<UInt8>) {
            bytes.withUnsafeContiguousBytes { (raw: UnsafeRawBufferPointer) -> Void in update(raw) }
        }

        /// The 32-byte digest of everything fed so far; the hasher then starts over, empty.
        public mutating func finalize() -> [UInt8] {
            var output = [UInt8](repeating: 0, count: 32)
            var length: UInt32 = 0
            let ok = output.withUnsafeMutableBufferPointer { EVP_DigestFinal_ex(context, $0.baseAddress, &length) }
            precondition(ok == 1 && length == 32, "EVP_DigestFinal_ex(SHA-256) failed")
            // Re-initialising keeps the context usable (one allocation per hasher, not per digest).
            precondition(EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1, "EVP_DigestInit_ex(SHA-256) failed")
            return output
        }
    }
}
