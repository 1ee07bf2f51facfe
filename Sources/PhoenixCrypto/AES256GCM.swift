import COpenSSL

/// AES-256-GCM (NIST SP 800-38D) with 12-byte nonces and 16-byte tags.
///
/// One instance owns one `EVP_CIPHER_CTX`, keyed once and reused for every buffer of a stream
/// (the key schedule is computed once; each call only sets a new nonce). It is the single owner
/// of the context and frees it exactly once in `deinit`. Not `Sendable`: the context is mutable.
///
/// ```swift
/// let gcm = try AES256GCM(key: key)
/// let sealed = try gcm.seal(plaintext, nonce: nonce, authenticating: aad)   // ciphertext ‖ tag
/// let opened = try gcm.open(sealed, nonce: nonce, authenticating: aad)
/// ```
public final class AES256GCM {
    /// Key length in bytes.
    public static let keyCount = 32
    /// Nonce length in bytes (SP 800-38D §8.2: 96-bit IVs avoid GHASH-derived counters).
    public static let nonceCount = 12
    /// Tag length in bytes.
    public static let tagCount = 16

    private let context: OpaquePointer

    /// Keys a new cipher context.
    /// - Throws: `CryptoError.invalidKeySize` unless `key` has 32 bytes; `.library` if libcrypto fails.
    public init(key: some Collection<UInt8>) throws(CryptoError) {
        guard key.count == Self.keyCount else { throw .invalidKeySize(expected: Self.keyCount, actual: key.count) }
        guard let context = EVP_CIPHER_CTX_new() else { throw .libraryFailure("EVP_CIPHER_CTX_new") }
        let ok = key.withUnsafeContiguousBytes { raw in
            EVP_CipherInit_ex(context, EVP_aes_256_gcm(), nil, raw.baseAddress?.assumingMemoryBound(to: UInt8.self), nil, 1)
        }
        guard ok == 1 else {
            let error = CryptoError.libraryFailure("EVP_CipherInit_ex")
            EVP_CIPHER_CTX_free(context)
            throw error
        }
        self.context = context
    }

    deinit {
        EVP_CIPHER_CTX_free(context)
    }

    /// Encrypts `plaintext` and appends `ciphertext ‖ tag` to `output`.
    /// - Throws: `CryptoError.invalidNonceSize`, or `.library`; `output` is then unchanged.
    public func seal(
        _ plaintext: UnsafeRawBufferPointer,
        nonce: some Collection<UInt8>,
        authenticating aad: some Collection<UInt8>,
        appendingTo output: inout [UInt8]
    ) throws(CryptoError) {
        let start = output.count
        do throws(CryptoError) {
            try begin(nonce: nonce, aad: aad, encrypting: true)
            try output.appendUninitializedTail(count: plaintext.count + Self.tagCount) { (tail) throws(CryptoError) in
                let body = UnsafeMutableRawBufferPointer(rebasing: tail[..<plaintext.count])
                try transform(plaintext, into: body)
                var finalLength: Int32 = 0
                guard EVP_CipherFinal_ex(context, nil, &finalLength) == 1 else { throw .libraryFailure("EVP_CipherFinal_ex") }
                let tag = tail.baseAddress.map { $0 + plaintext.count }
                guard phx_evp_ctrl_gcm_get_tag(context, Int32(Self.tagCount), tag) == 1 else {
                    throw .libraryFailure("EVP_CTRL_GCM_GET_TAG")
                }
            }
        } catch {
            output.removeSubrange(start...)
            throw error
        }
    }

    /// Checks the tag of `ciphertext ‖ tag` and appends the plaintext to `output`.
    ///
    /// Nothing is appended unless the tag matches: on failure the bytes decrypted so far are
    /// zeroed and removed before the error is thrown, so unauthenticated plaintext never escapes.
    /// - Throws: `CryptoError.authenticationFailed` on a tag mismatch (wrong key, nonce, AAD or a
    ///   changed byte); `.sealedBufferTooShort`, `.invalidNonceSize` or `.library` otherwise.
    public func open(
        _ sealed: UnsafeRawBufferPointer,
        nonce: some Collection<UInt8>,
        authenticating aad: some Collection<UInt8>,
        appendingTo output: inout [UInt8]
    ) throws(CryptoError) {
        guard sealed.count >= Self.tagCount else { throw .sealedBufferTooShort(sealed.count) }
        let bodyCount = sealed.count - Self.tagCount
        let start = output.count
        do throws(CryptoError) {
            try begin(nonce: nonce, aad: aad, encrypting: false)
            try output.appendUninitializedTail(count: bodyCount) { (tail) throws(CryptoError) in
                try transform(UnsafeRawBufferPointer(rebasing: sealed[..<bodyCount]), into: tail)
                // EVP_CTRL_GCM_SET_TAG takes a non-const pointer, so hand it a copy of the tag.
                var tag = Array(sealed[bodyCount...])
                let tagSet = tag.withUnsafeMutableBytes { phx_evp_ctrl_gcm_set_tag(context, Int32(Self.tagCount), $0.baseAddress) }
                guard tagSet == 1 else { throw .libraryFailure("EVP_CTRL_GCM_SET_TAG") }
                var finalLength: Int32 = 0
                guard EVP_CipherFinal_ex(context, nil, &finalLength) == 1 else {
                    // A tag mismatch queues nothing useful; clear anyway so no stale entry lingers.
                    ERR_clear_error()
                    throw .authenticationFailed
                }
            }
        } catch {
            output.withUnsafeMutableBytes { bytes in
                let appended = UnsafeMutableRawBufferPointer(rebasing: bytes[start...])
                appended.initializeMemory(as: UInt8.self, repeating: 0)
            }
            output.removeSubrange(start...)
            throw error
        }
    }

    /// One-shot `seal`: returns `ciphertext ‖ tag`.
    public func seal(
        _ plaintext: some Collection<UInt8>,
        nonce: some Collection<UInt8>,
        authenticating aad: some Collection<UInt8>
    ) throws(CryptoError) -> [UInt8] {
        var output: [UInt8] = []
        try plaintext.withUnsafeContiguousBytes { (raw) throws(CryptoError) in
            try seal(raw, nonce: nonce, authenticating: aad, appendingTo: &output)
        }
        return output
    }

    /// One-shot `open`: returns the plaintext of `ciphertext ‖ tag`, or throws.
    public func open(
        _ sealed: some Collection<UInt8>,
        nonce: some Collection<UInt8>,
        authenticating aad: some Collection<UInt8>
    ) throws(CryptoError) -> [UInt8] {
        var output: [UInt8] = []
        try sealed.withUnsafeContiguousBytes { (raw) throws(CryptoError) in
            try open(raw, nonce: nonce, authenticating: aad, appendingTo: &output)
        }
        return output
    }

    // MARK: - Steps shared by seal and open

    /// Sets direction and nonce (the key stays from `init`) and feeds the AAD.
    private func begin(nonce: some Collection<UInt8>, aad: some Collection<UInt8>, encrypting: Bool) throws(CryptoError) {
        guard nonce.count == Self.nonceCount else { throw .invalidNonceSize(expected: Self.nonceCount, actual: nonce.count) }
        let started = nonce.withUnsafeContiguousBytes { iv in
            EVP_CipherInit_ex(context, nil, nil, nil, iv.baseAddress?.assumingMemoryBound(to: UInt8.self), encrypting ? 1 : 0)
        }
        guard started == 1 else { throw .libraryFailure("EVP_CipherInit_ex") }
        guard !aad.isEmpty else { return }
        let fed = aad.withUnsafeContiguousBytes { raw in
            var ignored: Int32 = 0
            // A NULL output pointer marks this update as AAD (EVP_EncryptUpdate(3), GCM mode).
            return EVP_CipherUpdate(context, nil, &ignored, raw.baseAddress?.assumingMemoryBound(to: UInt8.self), Int32(raw.count))
        }
        guard fed == 1 else { throw .libraryFailure("EVP_CipherUpdate(aad)") }
    }

    /// Runs `input` through the cipher into `output` (same length), in pieces that fit an `Int32`.
    private func transform(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(CryptoError) {
        guard let inputBase = input.baseAddress, let outputBase = output.baseAddress else { return }
        let pieceLimit = 1 << 30
        var offset = 0
        while offset < input.count {
            let count = min(pieceLimit, input.count - offset)
            var written: Int32 = 0
            let ok = EVP_CipherUpdate(
                context,
                (outputBase + offset).assumingMemoryBound(to: UInt8.self),
                &written,
                (inputBase + offset).assumingMemoryBound(to: UInt8.self),
                Int32(count)
            )
            guard ok == 1, Int(written) == count else { throw .libraryFailure("EVP_CipherUpdate") }
            offset += count
        }
    }
}
