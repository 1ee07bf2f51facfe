import PhoenixCrypto

/// The header at the start of every artifact (DESIGN.md §4). Integers are big-endian.
///
/// | offset | size | field                                                                  |
/// |--------|------|------------------------------------------------------------------------|
/// | 0      | 8    | magic `PHXDRART`                                                       |
/// | 8      | 1    | format version, 1                                                      |
/// | 9      | 1    | protection: 0 = SHA-256 framed, 1 = AES-256-GCM                        |
/// | 10     | 1    | compression: 0 = none, 1 = zstd                                        |
/// | 11     | 1    | key id length n: 0 when unencrypted, 1...64 when encrypted             |
/// | 12     | n    | key id, ASCII `[A-Za-z0-9._-]`                                         |
/// | 12+n   | 32   | salt, random per artifact                                              |
/// | 44+n   | 4    | chunk size in bytes, 16 ... 64 MiB                                     |
/// | 48+n   | 7    | nonce prefix, random per artifact                                      |
/// | 55+n   | 32   | key commitment: HMAC-SHA256(commitment key, bytes 0 ..< 55+n); zero when unencrypted |
/// | 87+n   | 32   | header digest: SHA-256(bytes 0 ..< 87+n); the AAD of every chunk       |
///
/// 119 + n bytes in all. The commitment proves which master key sealed the artifact (so a wrong
/// key is reported as such, not as tampering); the digest catches accidental damage to any header
/// byte before a key is even looked up, and, as the chunks' AAD, binds every chunk to this header.
public struct ArtifactHeader: Sendable, Equatable {
    /// The format version this build writes and reads.
    public static let formatVersion: UInt8 = 1
    /// The default chunk size, 1 MiB (DESIGN.md §4).
    public static let defaultChunkSize = 1 << 20
    /// Chunk sizes a writer accepts and a reader trusts; larger values in a header are hostile
    /// (a reader buffers about two chunks).
    public static let chunkSizeRange = 16...(64 << 20)

    static let magic: [UInt8] = Array("PHXDRART".utf8)
    /// Magic, version, protection, compression, key id length: enough to know the full size.
    static let prefixCount = 12
    static let saltCount = 32
    static let noncePrefixCount = 7
    static let digestCount = 32
    /// Salt, chunk size, nonce prefix, commitment and digest: the bytes after the key id.
    static let suffixCount = saltCount + 4 + noncePrefixCount + 2 * digestCount

    /// Whether chunks are AES-256-GCM sealed (else SHA-256 framed).
    public let isEncrypted: Bool
    /// How the plaintext was compressed.
    public let compression: ArtifactCompression
    /// The master key's id; nil exactly when unencrypted.
    public let keyID: ArtifactKeyID?
    /// Plaintext bytes per chunk (the final chunk may hold fewer).
    public let chunkSize: Int
    let salt: [UInt8]
    let noncePrefix: [UInt8]
    let commitment: [UInt8]
    /// SHA-256 of every header byte before it; the chunks' AAD.
    let digest: [UInt8]

    /// The header's size in bytes.
    public var byteCount: Int {
        Self.prefixCount + (keyID?.rawValue.utf8.count ?? 0) + Self.suffixCount
    }

    init(
        isEncrypted: Bool, compression: ArtifactCompression, keyID: ArtifactKeyID?, chunkSize: Int,
        salt: [UInt8], noncePrefix: [UInt8], commitment: [UInt8], digest: [UInt8]
    ) {
        self.isEncrypted = isEncrypted
        self.compression = compression
        self.keyID = keyID
        self.chunkSize = chunkSize
        self.salt = salt
        self.noncePrefix = noncePrefix
        self.commitment = commitment
        self.digest = digest
    }

    /// A fresh header (random salt and nonce prefix) for a new artifact, with the key schedule
    /// that seals its chunks (nil when unencrypted).
    static func make(
        key: ArtifactKey?,
        compression: ArtifactCompression,
        chunkSize: Int
    ) throws(ArtifactError) -> (header: ArtifactHeader, schedule: ArtifactKeySchedule?) {
        guard chunkSizeRange.contains(chunkSize) else { throw .invalidChunkSize(chunkSize) }
        let salt: [UInt8]
        let noncePrefix: [UInt8]
        do throws(CryptoError) {
            salt = try SecureRandom.bytes(saltCount)
            noncePrefix = try SecureRandom.bytes(noncePrefixCount)
        } catch {
            throw .crypto(error)
        }
        let schedule = try key.map { (key) throws(ArtifactError) in try ArtifactKeySchedule(masterKey: key, salt: salt) }
        var header = ArtifactHeader(
            isEncrypted: key != nil, compression: compression, keyID: key?.id, chunkSize: chunkSize,
            salt: salt, noncePrefix: noncePrefix, commitment: [], digest: []
        )
        let fields = header.fieldBytes()
        let commitment = schedule?.commitment(over: fields) ?? [UInt8](repeating: 0, count: digestCount)
        header = ArtifactHeader(
            isEncrypted: header.isEncrypted, compression: compression, keyID: header.keyID, chunkSize: chunkSize,
            salt: salt, noncePrefix: noncePrefix, commitment: commitment, digest: SHA256.digest(fields + commitment)
        )
        return (header, schedule)
    }

    /// Bytes 0 ..< 55+n: everything the key commitment covers.
    func fieldBytes() -> [UInt8] {
        let keyIDBytes = Array(keyID?.rawValue.utf8 ?? "".utf8)
        var bytes = Self.magic
        bytes.reserveCapacity(byteCount)
        bytes.append(Self.formatVersion)
        bytes.append(isEncrypted ? 1 : 0)
        bytes.append(compression.wireValue)
        bytes.append(UInt8(keyIDBytes.count))
        bytes += keyIDBytes
        bytes += salt
        bytes += withUnsafeBytes(of: UInt32(chunkSize).bigEndian, Array.init)
        bytes += noncePrefix
        return bytes
    }

    /// The complete header as stored.
    func encoded() -> [UInt8] {
        fieldBytes() + commitment + digest
    }
}
