import PhoenixArtifact
import PhoenixCrypto
import Testing

@Suite struct ArtifactRoundTripTests {
    static let sizes = [0, 1, 63, 64, 65, 64 * 5 + 7, 64 * 8]
    static let modes: [(encrypted: Bool, compression: ArtifactCompression)] = [
        (true, .none), (true, .zstd), (false, .none), (false, .zstd),
    ]

    @Test(arguments: sizes, 0..<4)
    func plaintextSurvivesWriteAndRead(size: Int, mode: Int) throws {
        let (encrypted, compression) = Self.modes[mode]
        let key = try ArtifactFixture.key("k1", fill: 0x11)
        let plaintext = ArtifactFixture.plaintext(count: size, seed: UInt64(size))
        let sealed = try ArtifactFixture.seal(plaintext, key: encrypted ? key : nil, compression: compression, pieceSize: 7)

        #expect(sealed.rawByteCount == size)
        #expect(sealed.storedByteCount == sealed.bytes.count)
        #expect(sealed.storedSHA256 == SHA256.hex(sealed.bytes))
        #expect(sealed.header.isEncrypted == encrypted)
        #expect(sealed.header.compression == compression)

        for pieceSize in [1, 13, sealed.bytes.count] {
            let opened = ArtifactFixture.open(sealed.bytes, keyring: try Keyring(keys: [key]), pieceSize: pieceSize)
            #expect(opened.error == nil)
            #expect(opened.plaintext == plaintext)
            #expect(opened.rawByteCount == size)
            #expect(opened.storedByteCount == sealed.bytes.count)
            #expect(opened.storedSHA256 == sealed.storedSHA256)
            #expect(opened.chunkCount == sealed.chunkCount)
        }
    }

    @Test(arguments: sizes)
    func uncompressedLayoutIsHeaderPlusFixedSizeChunks(size: Int) throws {
        let key = try ArtifactFixture.key("k1", fill: 0x11)
        let sealed = try ArtifactFixture.seal(ArtifactFixture.plaintext(count: size), key: key, pieceSize: 1)
        // Exactly one final chunk, even for 0 bytes; a full last chunk is the final one.
        let chunks = max(1, (size + 63) / 64)
        #expect(sealed.chunkCount == chunks)
        #expect(sealed.bytes.count == sealed.header.byteCount + size + 16 * chunks)
        #expect(sealed.header.byteCount == 119 + 2)
    }

    @Test func writerAcceptsRawBuffersAndEmptyWrites() throws {
        let plaintext = ArtifactFixture.plaintext(count: 300)
        var writer = try ArtifactWriter(key: nil, chunkSize: 64)
        var stored = try writer.write([UInt8]())
        #expect(stored.count == writer.header.byteCount)
        stored += try plaintext.withUnsafeBytes { try writer.write($0) }
        stored += try writer.write([UInt8]())
        stored += try writer.finish()
        #expect(ArtifactFixture.open(stored, keyring: .empty).plaintext == plaintext)
    }

    @Test func defaultChunkSizeHandlesSeveralMebibytesInOddPieces() throws {
        let key = try ArtifactFixture.key("k1", fill: 0x42)
        let plaintext = ArtifactFixture.plaintext(count: 3 << 20 + 5)
        let sealed = try ArtifactFixture.seal(plaintext, key: key, chunkSize: ArtifactHeader.defaultChunkSize, pieceSize: 100_003)
        #expect(sealed.chunkCount == 4)
        let opened = ArtifactFixture.open(sealed.bytes, keyring: try Keyring(keys: [key]), pieceSize: 77_777,
                                          expectedStoredByteCount: sealed.bytes.count)
        #expect(opened.error == nil)
        #expect(opened.plaintext == plaintext)
    }

    @Test func compressibleDataShrinks() throws {
        let plaintext = [UInt8](repeating: 0x61, count: 100_000)
        let sealed = try ArtifactFixture.seal(plaintext, key: nil, chunkSize: 4096, compression: .zstd, pieceSize: 999)
        #expect(sealed.bytes.count < 2_000)
        #expect(ArtifactFixture.open(sealed.bytes, keyring: .empty).plaintext == plaintext)
    }

    @Test func twoArtifactsOfTheSameDataDiffer() throws {
        let key = try ArtifactFixture.key("k1", fill: 0x11)
        let plaintext = ArtifactFixture.plaintext(count: 200)
        let first = try ArtifactFixture.seal(plaintext, key: key)
        let second = try ArtifactFixture.seal(plaintext, key: key)
        // Fresh salt and nonce prefix per artifact: no shared key stream.
        #expect(first.bytes != second.bytes)
        #expect(first.bytes.count == second.bytes.count)
    }

    @Test func expectedSizeThatMatchesIsAccepted() throws {
        let sealed = try ArtifactFixture.seal(ArtifactFixture.plaintext(count: 150), key: nil)
        let opened = ArtifactFixture.open(sealed.bytes, keyring: .empty, expectedStoredByteCount: sealed.bytes.count)
        #expect(opened.error == nil)
        #expect(opened.plaintext.count == 150)
    }

    @Test func writerAndReaderRefuseUseAfterFinish() throws {
        var writer = try ArtifactWriter(key: nil, chunkSize: 64)
        let stored = try writer.finish()
        #expect(throws: ArtifactError.streamClosed) { try writer.write([1, 2, 3]) }
        #expect(throws: ArtifactError.streamClosed) { try writer.finish() }

        var reader = ArtifactReader(keyring: .empty)
        try reader.consume(stored) { _ in }
        try reader.finish { _ in }
        #expect(throws: ArtifactError.streamClosed) { try reader.consume([1]) { _ in } }
    }

    @Test func readerStopsAfterTheCallerFails() throws {
        struct Full: Error {}
        let sealed = try ArtifactFixture.seal(ArtifactFixture.plaintext(count: 300), key: nil)
        var reader = ArtifactReader(keyring: .empty)
        #expect(throws: Full.self) { try reader.consume(sealed.bytes) { _ in throw Full() } }
        #expect(throws: ArtifactError.streamClosed) { try reader.finish { _ in } }
    }
}
