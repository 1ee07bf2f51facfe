import PhoenixArtifact
import PhoenixCrypto
import Testing

/// The header layout, and headers with hostile values: each refused with a precise reason
/// before anything large is allocated.
@Suite struct ArtifactHeaderTests {
    static func sealed(key: ArtifactKey?) throws -> ArtifactFixture.Sealed {
        try ArtifactFixture.seal(ArtifactFixture.plaintext(count: 100), key: key)
    }

    /// Applies `change` to the header, then recomputes the header digest so that only the
    /// field checks can catch the change.
    static func forged(_ sealed: ArtifactFixture.Sealed, _ change: (inout [UInt8]) -> Void) -> [UInt8] {
        var (header, chunks) = ArtifactFixture.split(sealed)
        change(&header)
        header.replaceSubrange((header.count - 32)..., with: SHA256.digest(header.dropLast(32)))
        return header + chunks.joined()
    }

    static func readError(_ bytes: [UInt8], keyring: Keyring = .empty) -> ArtifactError? {
        ArtifactFixture.open(bytes, keyring: keyring).error
    }

    @Test func encryptedHeaderFollowsTheDocumentedLayout() throws {
        let key = try ArtifactFixture.key("key-2026.01", fill: 3)
        let sealed = try ArtifactFixture.seal([], key: key, chunkSize: 0x0102_0304, compression: .zstd)
        let header = Array(sealed.bytes.prefix(sealed.header.byteCount))
        let n = 11
        #expect(header.count == 119 + n)
        #expect(Array(header[0..<8]) == Array("PHXDRART".utf8))
        #expect(header[8] == 1)
        #expect(header[9] == 1)
        #expect(header[10] == 1)
        #expect(header[11] == UInt8(n))
        #expect(Array(header[12..<(12 + n)]) == Array("key-2026.01".utf8))
        #expect(Array(header[(44 + n)..<(48 + n)]) == [0x01, 0x02, 0x03, 0x04])
        #expect(Array(header[(87 + n)...]) == SHA256.digest(header[..<(87 + n)]))
        #expect(sealed.header.keyID?.rawValue == "key-2026.01")
        #expect(sealed.header.chunkSize == 0x0102_0304)
    }

    @Test func unencryptedHeaderHasNoKeyIDAndAZeroCommitment() throws {
        let sealed = try Self.sealed(key: nil)
        let header = Array(sealed.bytes.prefix(sealed.header.byteCount))
        #expect(header.count == 119)
        #expect(header[9] == 0)
        #expect(header[11] == 0)
        #expect(Array(header[55..<87]) == [UInt8](repeating: 0, count: 32))
        #expect(sealed.header.keyID == nil)
    }

    @Test func headerCanBeInspectedWithoutKeys() throws {
        let key = try ArtifactFixture.key("k9", fill: 3)
        let sealed = try ArtifactFixture.seal(ArtifactFixture.plaintext(count: 500), key: key, compression: .zstd)
        let header = try ArtifactHeader(parsing: sealed.bytes)
        #expect(header == sealed.header)
        #expect(header.keyID == key.id)
        #expect(header.compression == .zstd)
        #expect(throws: ArtifactError.truncated(.insideHeader(byteCount: 50))) { try ArtifactHeader(parsing: sealed.bytes.prefix(50)) }
    }

    @Test func wrongMagicIsNotAnArtifact() throws {
        #expect(Self.readError(Array("hello, world".utf8)) == .notAnArtifact)
        #expect(Self.readError(Array("PHX".utf8) + [0]) == .notAnArtifact)
        var bytes = try Self.sealed(key: nil).bytes
        bytes[3] ^= 0x20
        #expect(Self.readError(bytes) == .notAnArtifact)
    }

    @Test func otherVersionIsUnsupported() throws {
        var bytes = try Self.sealed(key: nil).bytes
        bytes[8] = 2
        #expect(Self.readError(bytes) == .unsupportedVersion(2))
    }

    @Test(arguments: [UInt32(0), 15, UInt32(64 << 20) + 1, UInt32.max])
    func hostileChunkSizeIsRefused(size: UInt32) throws {
        let sealed = try Self.sealed(key: nil)
        let bytes = Self.forged(sealed) { header in
            header.replaceSubrange(44..<48, with: withUnsafeBytes(of: size.bigEndian, Array.init))
        }
        #expect(Self.readError(bytes) == .corruptHeader(.chunkSizeOutOfRange(size)))
    }

    @Test func keyIDLengthBeyondTheLimitIsRefusedFromTheFirstBytes() throws {
        let key = try ArtifactFixture.key("k1", fill: 1)
        var bytes = Array(try Self.sealed(key: key).bytes.prefix(12))
        bytes[11] = 200
        // Refused on the 12-byte prefix: the reader never waits for 200 more bytes.
        var reader = ArtifactReader(keyring: .empty)
        #expect(throws: ArtifactError.corruptHeader(.keyIDTooLong(200))) { try reader.consume(bytes) { _ in } }
        bytes[11] = 65
        #expect(Self.readError(bytes) == .corruptHeader(.keyIDTooLong(65)))
    }

    @Test func keyIDPresenceMustMatchEncryption() throws {
        let key = try ArtifactFixture.key("k1", fill: 1)
        var encrypted = try Self.sealed(key: key).bytes
        encrypted[11] = 0
        #expect(Self.readError(encrypted) == .corruptHeader(.missingKeyID))
        var plain = try Self.sealed(key: nil).bytes
        plain[11] = 2
        #expect(Self.readError(plain) == .corruptHeader(.unexpectedKeyID))
    }

    @Test func keyIDWithForbiddenCharactersIsRefused() throws {
        let key = try ArtifactFixture.key("k1", fill: 1)
        let bytes = Self.forged(try Self.sealed(key: key)) { header in
            header[12] = 0x0a
        }
        #expect(Self.readError(bytes) == .corruptHeader(.invalidKeyID))
    }

    @Test func unknownProtectionOrCompressionIsRefused() throws {
        var bytes = try Self.sealed(key: nil).bytes
        bytes[9] = 7
        #expect(Self.readError(bytes) == .corruptHeader(.unknownProtection(7)))
        bytes = try Self.sealed(key: nil).bytes
        bytes[10] = 9
        #expect(Self.readError(bytes) == .corruptHeader(.unknownCompression(9)))
    }

    @Test func largestAllowedChunkSizeInAForgedHeaderOnlyFailsTheChunk() throws {
        // 64 MiB is accepted as a chunk size, but the reader buffers only what arrives, and the
        // changed header no longer matches the chunks' AAD.
        let bytes = Self.forged(try Self.sealed(key: nil)) { header in
            header.replaceSubrange(44..<48, with: withUnsafeBytes(of: UInt32(64 << 20).bigEndian, Array.init))
        }
        #expect(Self.readError(bytes) == .tamperedChunk(index: 0))
    }

    @Test func unencryptedHeaderWithACommitmentIsRefused() throws {
        let bytes = Self.forged(try Self.sealed(key: nil)) { header in
            header[60] = 1
        }
        #expect(Self.readError(bytes) == .corruptHeader(.unexpectedCommitment))
    }

    @Test(arguments: [14, 20, 50, 60, 100, 120])
    func anyOtherChangedHeaderByteFailsTheDigest(offset: Int) throws {
        let key = try ArtifactFixture.key("k1", fill: 1)
        var bytes = try Self.sealed(key: key).bytes
        bytes[offset] ^= 0x10
        #expect(Self.readError(bytes, keyring: try Keyring(keys: [key])) == .corruptHeader(.digestMismatch))
    }

    @Test func forgedHeaderFieldFailsTheCommitment() throws {
        // An attacker who recomputes the digest still cannot recompute the keyed commitment.
        let key = try ArtifactFixture.key("k1", fill: 1)
        let bytes = Self.forged(try Self.sealed(key: key)) { header in
            header[10] = 1
        }
        #expect(Self.readError(bytes, keyring: try Keyring(keys: [key])) == .wrongKey(try ArtifactFixture.keyID("k1")))
    }

    @Test func headerOfAnUnencryptedArtifactCannotBeSwitchedSilently() throws {
        // Changing a field of an unencrypted header and recomputing its digest changes the AAD
        // of every chunk, so chunk 0 fails.
        let bytes = Self.forged(try Self.sealed(key: nil)) { header in
            header[50] ^= 1
        }
        #expect(Self.readError(bytes) == .tamperedChunk(index: 0))
    }

    @Test(arguments: [0, 15, (64 << 20) + 1, -1])
    func writerRefusesChunkSizesOutsideTheRange(size: Int) {
        #expect(throws: ArtifactError.invalidChunkSize(size)) { _ = try ArtifactWriter(key: nil, chunkSize: size) }
    }

    @Test func unknownKeyIDAndWrongKeyAreToldApart() throws {
        let old = try ArtifactFixture.key("k1", fill: 1)
        let sealed = try Self.sealed(key: old)
        #expect(Self.readError(sealed.bytes) == .unknownKeyID(try ArtifactFixture.keyID("k1")))
        let other = try ArtifactFixture.key("k2", fill: 1)
        #expect(Self.readError(sealed.bytes, keyring: try Keyring(keys: [other])) == .unknownKeyID(try ArtifactFixture.keyID("k1")))
        let impostor = try ArtifactFixture.key("k1", fill: 2)
        #expect(Self.readError(sealed.bytes, keyring: try Keyring(keys: [impostor])) == .wrongKey(try ArtifactFixture.keyID("k1")))
    }
}
