import PhoenixArtifact
import Testing

/// Each way a stored artifact can be damaged produces its own error, and no plaintext from the
/// damaged point on is ever emitted.
@Suite struct ArtifactTamperTests {
    /// 5 chunks of 64 plaintext bytes (the last one 10 bytes): stored chunks of 80 bytes (GCM).
    static let plaintext = ArtifactFixture.plaintext(count: 64 * 4 + 10, seed: 7)

    static func sealed(_ plaintext: [UInt8] = plaintext, encrypted: Bool = true) throws -> (ArtifactFixture.Sealed, Keyring) {
        let key = try ArtifactFixture.key("k1", fill: 0x11)
        let sealed = try ArtifactFixture.seal(plaintext, key: encrypted ? key : nil)
        return (sealed, try Keyring(keys: [key]))
    }

    /// Reads `stored`, checks the error, and checks that only the first `emittedChunks` chunks'
    /// plaintext came out.
    static func expect(
        _ stored: [UInt8], keyring: Keyring, throws expected: ArtifactError, emittedChunks: Int,
        expectedStoredByteCount: Int? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let opened = ArtifactFixture.open(stored, keyring: keyring, pieceSize: 33, expectedStoredByteCount: expectedStoredByteCount)
        #expect(opened.error == expected, sourceLocation: sourceLocation)
        #expect(opened.plaintext == Array(plaintext.prefix(64 * emittedChunks)), sourceLocation: sourceLocation)
    }

    @Test(arguments: [true, false])
    func flippedBitInAChunkNamesThatChunk(encrypted: Bool) throws {
        let (sealed, keyring) = try Self.sealed(encrypted: encrypted)
        var (header, chunks) = ArtifactFixture.split(sealed)
        chunks[2][5] ^= 0x04
        Self.expect(header + chunks.joined(), keyring: keyring, throws: .tamperedChunk(index: 2), emittedChunks: 2)
    }

    @Test func flippedBitInTheFinalChunkNamesIt() throws {
        let (sealed, keyring) = try Self.sealed()
        var bytes = sealed.bytes
        bytes[bytes.count - 1] ^= 0x80
        Self.expect(bytes, keyring: keyring, throws: .tamperedChunk(index: 4), emittedChunks: 4)
    }

    @Test(arguments: [true, false])
    func droppedChunkIsMissing(encrypted: Bool) throws {
        let (sealed, keyring) = try Self.sealed(encrypted: encrypted)
        var (header, chunks) = ArtifactFixture.split(sealed)
        chunks.remove(at: 1)
        Self.expect(header + chunks.joined(), keyring: keyring, throws: .missingChunk(index: 1), emittedChunks: 1)
    }

    @Test func droppedChunkJustBeforeTheFinalOneIsMissing() throws {
        let (sealed, keyring) = try Self.sealed()
        var (header, chunks) = ArtifactFixture.split(sealed)
        chunks.remove(at: 3)
        Self.expect(header + chunks.joined(), keyring: keyring, throws: .missingChunk(index: 3), emittedChunks: 3)
    }

    @Test(arguments: [true, false])
    func swappedChunksAreReordered(encrypted: Bool) throws {
        let (sealed, keyring) = try Self.sealed(encrypted: encrypted)
        var (header, chunks) = ArtifactFixture.split(sealed)
        chunks.swapAt(1, 2)
        Self.expect(header + chunks.joined(), keyring: keyring, throws: .reorderedChunks(position: 1, holds: 2), emittedChunks: 1)
    }

    @Test func finalChunkMovedForwardIsReordered() throws {
        // Full-size chunks only, so the moved final chunk keeps its own boundaries.
        let plaintext = Array(Self.plaintext.prefix(64 * 4))
        let (sealed, keyring) = try Self.sealed(plaintext)
        var (header, chunks) = ArtifactFixture.split(sealed)
        chunks.swapAt(2, 3)
        let opened = ArtifactFixture.open(header + chunks.joined(), keyring: keyring)
        #expect(opened.error == .reorderedChunks(position: 2, holds: 3))
        #expect(opened.plaintext == Array(plaintext.prefix(128)))
    }

    @Test(arguments: [true, false])
    func repeatedChunkIsDuplicated(encrypted: Bool) throws {
        let (sealed, keyring) = try Self.sealed(encrypted: encrypted)
        var (header, chunks) = ArtifactFixture.split(sealed)
        chunks.insert(chunks[1], at: 2)
        Self.expect(header + chunks.joined(), keyring: keyring, throws: .duplicatedChunk(index: 1, position: 2), emittedChunks: 2)
    }

    @Test func earlierChunkRepeatedLaterIsDuplicated() throws {
        let (sealed, keyring) = try Self.sealed()
        var (header, chunks) = ArtifactFixture.split(sealed)
        chunks.insert(chunks[0], at: 3)
        Self.expect(header + chunks.joined(), keyring: keyring, throws: .duplicatedChunk(index: 0, position: 3), emittedChunks: 3)
    }

    @Test(arguments: [true, false])
    func bytesAfterAFullFinalChunkAreTrailingData(encrypted: Bool) throws {
        let plaintext = Array(Self.plaintext.prefix(64 * 3))
        let (sealed, keyring) = try Self.sealed(plaintext, encrypted: encrypted)
        let opened = ArtifactFixture.open(sealed.bytes + [0], keyring: keyring)
        #expect(opened.error == .trailingData(afterChunk: 2))
        #expect(opened.plaintext == Array(plaintext.prefix(128)))
    }

    @Test func bytesAfterAShortFinalChunkAreTrailingDataWhenTheSizeIsKnown() throws {
        let (sealed, keyring) = try Self.sealed()
        for extra in [[UInt8(0)], [UInt8](repeating: 7, count: 200)] {
            Self.expect(sealed.bytes + extra, keyring: keyring, throws: .trailingData(afterChunk: 4), emittedChunks: 4,
                        expectedStoredByteCount: sealed.bytes.count)
        }
    }

    @Test func bytesAfterAShortFinalChunkLookTamperedWhenTheSizeIsUnknown() throws {
        // Documented limit of length-free framing: the extra byte merges into the last chunk.
        let (sealed, keyring) = try Self.sealed()
        Self.expect(sealed.bytes + [0], keyring: keyring, throws: .tamperedChunk(index: 4), emittedChunks: 4)
    }

    @Test(arguments: [true, false])
    func cutAtAChunkBoundaryIsTruncatedBeforeTheFinalChunk(encrypted: Bool) throws {
        let (sealed, keyring) = try Self.sealed(encrypted: encrypted)
        let (header, chunks) = ArtifactFixture.split(sealed)
        Self.expect(header + chunks.prefix(2).joined(), keyring: keyring,
                    throws: .truncated(.beforeFinalChunk(afterChunks: 2)), emittedChunks: 1)
        Self.expect(header, keyring: keyring, throws: .truncated(.beforeFinalChunk(afterChunks: 0)), emittedChunks: 0)
    }

    @Test func cutLeavingLessThanATagIsTruncatedInsideTheChunk() throws {
        let (sealed, keyring) = try Self.sealed()
        let (header, chunks) = ArtifactFixture.split(sealed)
        let stored = header + chunks.prefix(2).joined() + chunks[2].prefix(10)
        Self.expect(stored, keyring: keyring, throws: .truncated(.insideChunk(index: 2)), emittedChunks: 2)
    }

    @Test func cutInsideAChunkIsTruncatedWhenTheSizeIsKnown() throws {
        let (sealed, keyring) = try Self.sealed()
        let (header, chunks) = ArtifactFixture.split(sealed)
        let stored = header + chunks.prefix(2).joined() + chunks[2].prefix(50)
        Self.expect(stored, keyring: keyring, throws: .truncated(.insideChunk(index: 2)), emittedChunks: 2,
                    expectedStoredByteCount: sealed.bytes.count)
        Self.expect(header + chunks.prefix(3).joined(), keyring: keyring, throws: .truncated(.beforeFinalChunk(afterChunks: 3)),
                    emittedChunks: 2, expectedStoredByteCount: sealed.bytes.count)
    }

    @Test func cutInsideAChunkLooksTamperedWhenTheSizeIsUnknown() throws {
        let (sealed, keyring) = try Self.sealed()
        let (header, chunks) = ArtifactFixture.split(sealed)
        let stored = header + chunks.prefix(2).joined() + chunks[2].prefix(50)
        Self.expect(stored, keyring: keyring, throws: .tamperedChunk(index: 2), emittedChunks: 2)
    }

    @Test func cutInsideTheHeaderIsTruncatedThere() throws {
        let (sealed, keyring) = try Self.sealed()
        for count in [0, 5, 12, 60, sealed.header.byteCount - 1] {
            Self.expect(Array(sealed.bytes.prefix(count)), keyring: keyring,
                        throws: .truncated(.insideHeader(byteCount: count)), emittedChunks: 0)
        }
    }

    @Test func intactArtifactOfAnotherSizeThanExpectedIsAMismatch() throws {
        let (sealed, keyring) = try Self.sealed()
        Self.expect(sealed.bytes, keyring: keyring, throws: .storedSizeMismatch(expected: sealed.bytes.count - 1, actual: sealed.bytes.count),
                    emittedChunks: 5, expectedStoredByteCount: sealed.bytes.count - 1)
    }

    @Test func chunkFromAnotherArtifactIsTampered() throws {
        let (first, keyring) = try Self.sealed()
        let (second, _) = try Self.sealed()
        var (header, chunks) = ArtifactFixture.split(first)
        chunks[1] = ArtifactFixture.split(second).chunks[1]
        Self.expect(header + chunks.joined(), keyring: keyring, throws: .tamperedChunk(index: 1), emittedChunks: 1)
    }

    @Test func failedReaderKeepsReportingItsError() throws {
        let (sealed, keyring) = try Self.sealed()
        var bytes = sealed.bytes
        bytes[sealed.header.byteCount + 3] ^= 1
        var reader = ArtifactReader(keyring: keyring)
        #expect(throws: ArtifactError.tamperedChunk(index: 0)) { try reader.consume(bytes) { _ in } }
        #expect(throws: ArtifactError.tamperedChunk(index: 0)) { try reader.finish { _ in } }
    }
}
