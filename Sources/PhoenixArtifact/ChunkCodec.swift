import PhoenixCrypto

/// Seals and opens the chunks of one artifact.
///
/// Encrypted: `AES-256-GCM(chunk) ‖ tag` with nonce = 7-byte prefix ‖ 32-bit big-endian chunk
/// counter ‖ final flag (Tink's streaming AEAD, "Online Authenticated-Encryption and its
/// Nonce-Reuse Misuse-Resistance", Hoang–Reyhanitabar–Rogaway–Vizár 2015): the counter makes a
/// moved chunk fail, the flag makes a truncated stream fail. The header digest is the AAD.
/// Unencrypted: `chunk ‖ SHA-256(header digest ‖ counter ‖ flag ‖ chunk)`, the same framing with
/// a checksum in place of the tag (detects damage, not a deliberate forgery).
final class ChunkCodec {
    /// Plaintext bytes per chunk.
    let chunkSize: Int
    /// Bytes a stored chunk adds to its plaintext: the 16-byte tag or the 32-byte digest.
    let overhead: Int
    private let headerDigest: [UInt8]
    private let noncePrefix: [UInt8]
    private let cipher: AES256GCM?
    private var hasher = SHA256.Hasher()

    /// A codec for `header`; `schedule` must be present exactly when the header is encrypted.
    init(header: ArtifactHeader, schedule: ArtifactKeySchedule?) throws(ArtifactError) {
        chunkSize = header.chunkSize
        headerDigest = header.digest
        noncePrefix = header.noncePrefix
        if let schedule {
            do throws(CryptoError) {
                cipher = try AES256GCM(key: schedule.encryptionKey)
            } catch {
                throw .crypto(error)
            }
            overhead = AES256GCM.tagCount
        } else {
            cipher = nil
            overhead = 32
        }
    }

    /// The size of a full (non-final) stored chunk.
    var storedChunkSize: Int { chunkSize + overhead }

    /// Appends the stored form of chunk `counter` to `output`.
    func seal(_ plaintext: UnsafeRawBufferPointer, counter: UInt32, isFinal: Bool, appendingTo output: inout [UInt8]) throws(ArtifactError) {
        guard let cipher else {
            output.append(contentsOf: plaintext)
            output += frameDigest(plaintext, counter: counter, isFinal: isFinal)
            return
        }
        do throws(CryptoError) {
            try cipher.seal(plaintext, nonce: nonce(counter: counter, isFinal: isFinal), authenticating: headerDigest, appendingTo: &output)
        } catch {
            throw .crypto(error)
        }
    }

    /// Appends the plaintext of `stored` to `output` if it authenticates as chunk `counter` with
    /// this final flag; returns false (appending nothing) if it does not.
    /// - Throws: only for libcrypto failures other than authentication.
    func open(_ stored: UnsafeRawBufferPointer, counter: Int, isFinal: Bool, appendingTo output: inout [UInt8]) throws(ArtifactError) -> Bool {
        guard stored.count >= overhead, stored.count <= storedChunkSize, let counter = UInt32(exactly: counter) else { return false }
        guard let cipher else {
            let body = UnsafeRawBufferPointer(rebasing: stored[..<(stored.count - overhead)])
            let expected = frameDigest(body, counter: counter, isFinal: isFinal)
            guard ConstantTime.equals(expected, Array(stored[(stored.count - overhead)...])) else { return false }
            output.append(contentsOf: body)
            return true
        }
        do throws(CryptoError) {
            try cipher.open(stored, nonce: nonce(counter: counter, isFinal: isFinal), authenticating: headerDigest, appendingTo: &output)
            return true
        } catch .authenticationFailed {
            return false
        } catch {
            throw .crypto(error)
        }
    }

    private func nonce(counter: UInt32, isFinal: Bool) -> [UInt8] {
        noncePrefix + withUnsafeBytes(of: counter.bigEndian, Array.init) + [isFinal ? 1 : 0]
    }

    private func frameDigest(_ plaintext: UnsafeRawBufferPointer, counter: UInt32, isFinal: Bool) -> [UInt8] {
        hasher.update(headerDigest)
        withUnsafeBytes(of: counter.bigEndian) { hasher.update($0) }
        hasher.update(CollectionOfOne(isFinal ? 1 : 0))
        hasher.update(plaintext)
        return hasher.finalize()
    }
}
