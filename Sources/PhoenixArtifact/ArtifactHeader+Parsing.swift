import PhoenixCrypto

extension ArtifactHeader {
    /// The header's full size judged from its first bytes, or nil while fewer than 12 have arrived.
    ///
    /// Checks whatever the prefix already shows (magic, version, flags, key id length), so a
    /// stream that is not an artifact fails on its first bytes instead of after buffering more.
    static func requiredByteCount(prefix: [UInt8]) throws(ArtifactError) -> Int? {
        let magicCount = min(prefix.count, magic.count)
        guard prefix[..<magicCount].elementsEqual(magic[..<magicCount]) else { throw .notAnArtifact }
        if prefix.count > 8, prefix[8] != formatVersion { throw .unsupportedVersion(Int(prefix[8])) }
        guard prefix.count >= prefixCount else { return nil }
        guard prefix[9] <= 1 else { throw .corruptHeader(.unknownProtection(prefix[9])) }
        guard ArtifactCompression(wireValue: prefix[10]) != nil else { throw .corruptHeader(.unknownCompression(prefix[10])) }
        let keyIDCount = Int(prefix[11])
        guard keyIDCount <= ArtifactKeyID.maximumLength else { throw .corruptHeader(.keyIDTooLong(keyIDCount)) }
        // An encrypted artifact must name its key; an unencrypted one must not.
        if prefix[9] == 1, keyIDCount == 0 { throw .corruptHeader(.missingKeyID) }
        if prefix[9] == 0, keyIDCount != 0 { throw .corruptHeader(.unexpectedKeyID) }
        return prefixCount + keyIDCount + suffixCount
    }

    /// Parses the header at the start of `stored` (the first 183 bytes always suffice), without
    /// keys: for inspecting an artifact, for example to learn which key id it needs. Reading
    /// must go through `ArtifactReader`, which also checks the key commitment.
    ///
    /// Field checks come before the digest check so that a hostile value is named precisely;
    /// any other damaged byte is caught by the digest.
    /// - Throws: `.notAnArtifact`, `.unsupportedVersion`, `.corruptHeader` or `.truncated(.insideHeader)`.
    public init(parsing stored: some Collection<UInt8>) throws(ArtifactError) {
        let bytes = Array(stored.prefix(Self.prefixCount + ArtifactKeyID.maximumLength + Self.suffixCount))
        guard let count = try Self.requiredByteCount(prefix: bytes), bytes.count >= count else {
            throw .truncated(.insideHeader(byteCount: bytes.count))
        }
        var cursor = Self.prefixCount
        func take(_ length: Int) -> [UInt8] {
            defer { cursor += length }
            return Array(bytes[cursor..<(cursor + length)])
        }
        let isEncrypted = bytes[9] == 1
        let compression = ArtifactCompression(wireValue: bytes[10]) ?? .none
        let keyIDBytes = take(Int(bytes[11]))
        var keyID: ArtifactKeyID?
        if isEncrypted {
            guard let text = String(validating: keyIDBytes, as: UTF8.self), let id = ArtifactKeyID(rawValue: text) else {
                throw .corruptHeader(.invalidKeyID)
            }
            keyID = id
        }
        let salt = take(Self.saltCount)
        let chunkSize = take(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard Self.chunkSizeRange.contains(Int(chunkSize)) else { throw .corruptHeader(.chunkSizeOutOfRange(chunkSize)) }
        let noncePrefix = take(Self.noncePrefixCount)
        let commitment = take(Self.digestCount)
        if !isEncrypted, commitment.contains(where: { $0 != 0 }) { throw .corruptHeader(.unexpectedCommitment) }
        let digest = take(Self.digestCount)
        guard ConstantTime.equals(SHA256.digest(bytes[..<(count - Self.digestCount)]), digest) else {
            throw .corruptHeader(.digestMismatch)
        }
        self.init(
            isEncrypted: isEncrypted, compression: compression, keyID: keyID, chunkSize: Int(chunkSize),
            salt: salt, noncePrefix: noncePrefix, commitment: commitment, digest: digest
        )
    }
}
