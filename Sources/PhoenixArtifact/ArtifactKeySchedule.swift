import PhoenixCrypto

/// The two keys one artifact derives from a master key and its salt (DESIGN.md §4).
///
/// HKDF-SHA256 with distinct info labels gives independent keys: one for AES-256-GCM, one for
/// the key commitment. Because every artifact has its own random 32-byte salt, no two artifacts
/// share an AES key, so the 96-bit nonces never repeat under one key.
struct ArtifactKeySchedule {
    static let encryptionLabel = Array("phoenix-dr artifact v1: aes-256-gcm key".utf8)
    static let commitmentLabel = Array("phoenix-dr artifact v1: key commitment".utf8)

    let encryptionKey: [UInt8]
    let commitmentKey: [UInt8]

    init(masterKey: ArtifactKey, salt: [UInt8]) throws(ArtifactError) {
        do throws(CryptoError) {
            encryptionKey = try HKDF.sha256(inputKey: masterKey.material, salt: salt, info: Self.encryptionLabel, outputCount: 32)
            commitmentKey = try HKDF.sha256(inputKey: masterKey.material, salt: salt, info: Self.commitmentLabel, outputCount: 32)
        } catch {
            throw .crypto(error)
        }
    }

    /// HMAC-SHA256 under the commitment key of the header fields (which include the salt).
    func commitment(over fields: [UInt8]) -> [UInt8] {
        HMACSHA256.authenticate(fields, key: commitmentKey)
    }

    /// Whether `header` was committed to by this key, compared in constant time.
    func isCommitted(by header: ArtifactHeader) -> Bool {
        ConstantTime.equals(commitment(over: header.fieldBytes()), header.commitment)
    }
}
