@testable import PhoenixArtifact
import Testing

/// zstd inside the chunk framing: bounded output pieces, and a clear error for compressed data
/// that authenticates but does not decompress (which only a buggy or hostile writer produces).
@Suite struct ArtifactCompressionTests {
    /// Seals `payload` as the (already compressed) plaintext of a zstd artifact, bypassing the
    /// writer's compressor: the chunks authenticate, the zstd stream is whatever we say.
    static func sealRaw(_ payload: [UInt8], key: ArtifactKey?) throws -> [UInt8] {
        let (header, schedule) = try ArtifactHeader.make(key: key, compression: .zstd, chunkSize: 64)
        let framer = ChunkFramer(codec: try ChunkCodec(header: header, schedule: schedule))
        var stored = header.encoded()
        try payload.withUnsafeBytes { try framer.append($0, to: &stored) }
        try framer.finish(to: &stored)
        return stored
    }

    @Test(arguments: [true, false])
    func authenticatedGarbageIsADecompressionFailure(encrypted: Bool) throws {
        let key = try ArtifactFixture.key("k1", fill: 9)
        let stored = try Self.sealRaw(Array("this is not a zstd frame at all".utf8), key: encrypted ? key : nil)
        let opened = ArtifactFixture.open(stored, keyring: try Keyring(keys: [key]))
        guard case .decompressionFailed(let reason) = opened.error else {
            Issue.record("expected decompressionFailed, got \(String(describing: opened.error))")
            return
        }
        #expect(reason == "Unknown frame descriptor")
        #expect(opened.plaintext.isEmpty)
    }

    @Test func frameCutShortIsADecompressionFailure() throws {
        let complete = try ArtifactFixture.seal(ArtifactFixture.plaintext(count: 500), key: nil, chunkSize: 4096, compression: .zstd)
        let frame = Array(ArtifactFixture.split(complete).chunks[0].dropLast(32))
        let stored = try Self.sealRaw(Array(frame.dropLast(3)), key: nil)
        #expect(ArtifactFixture.open(stored, keyring: .empty).error == .decompressionFailed("the compressed stream ends inside a frame"))
    }

    /// A frame per segment, each with a checksum of its plaintext: at least five for a little
    /// over four segments, in order; a frame whose checksum no longer matches is refused even
    /// though its chunk authenticates (a writer that compressed other bytes than it was given).
    @Test func segmentsBecomeFramesInOrderEachCheckedAgainstItsChecksum() throws {
        let plaintext = ArtifactFixture.plaintext(count: 4 * ZstdCompressor.segmentSize + 12_345)
        let compressor = try ZstdCompressor()
        var compressed: [UInt8] = []
        for start in stride(from: 0, to: plaintext.count, by: 300_000) {
            let piece = Array(plaintext[start..<min(plaintext.count, start + 300_000)])
            try piece.withUnsafeBytes { raw in try compressor.compress(raw) { compressed += Array($0) } }
        }
        try compressor.finish { compressed += Array($0) }
        let magic: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD]
        let frames = (0...(compressed.count - 4)).filter { compressed[$0..<$0 + 4].elementsEqual(magic) }.count
        #expect(frames >= 5)
        let opened = ArtifactFixture.open(try Self.sealRaw(compressed, key: nil), keyring: .empty)
        #expect(opened.error == nil)
        #expect(opened.plaintext == plaintext)

        var wrongChecksum = compressed
        wrongChecksum[wrongChecksum.count - 1] ^= 0x01  // the last frame's XXH64 checksum
        let refused = ArtifactFixture.open(try Self.sealRaw(wrongChecksum, key: nil), keyring: .empty)
        guard case .decompressionFailed(let reason) = refused.error else {
            Issue.record("expected decompressionFailed, got \(String(describing: refused.error))")
            return
        }
        #expect(reason.lowercased().contains("checksum"), "\(reason)")
    }

    @Test func emptyCompressedStreamIsADecompressionFailure() throws {
        let stored = try Self.sealRaw([], key: nil)
        #expect(ArtifactFixture.open(stored, keyring: .empty).error == .decompressionFailed("the compressed stream ends inside a frame"))
    }

    @Test func frameAskingForAHugeWindowIsRefused() throws {
        // RFC 8878 §3.1.1: magic, descriptor 0x00 (window descriptor present), window
        // descriptor 0xA0 (exponent 20: a 1 GiB window), then one empty raw last block.
        let frame: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD, 0x00, 0xA0, 0x01, 0x00, 0x00]
        let stored = try Self.sealRaw(frame, key: nil)
        #expect(ArtifactFixture.open(stored, keyring: .empty).error == .decompressionFailed("Frame requires too much memory for decoding"))
    }

    @Test func decompressionBombIsEmittedInBoundedPieces() throws {
        // 64 MiB of zeros compress to a few KB; reading them back never hands out (and so never
        // buffers) more than one 128 KiB piece at a time.
        var writer = try ArtifactWriter(key: nil, compression: .zstd)
        var stored: [UInt8] = []
        let block = [UInt8](repeating: 0, count: 1 << 20)
        for _ in 0..<64 { stored += try writer.write(block) }
        stored += try writer.finish()
        #expect(stored.count < 64 * 1024)

        let opened = ArtifactFixture.open(stored, keyring: .empty, pieceSize: 4096)
        #expect(opened.error == nil)
        #expect(opened.rawByteCount == 64 << 20)
        #expect(opened.largestPiece <= 128 * 1024)
    }

    @Test func tamperingWithCompressedChunksIsStillNamedByChunk() throws {
        let key = try ArtifactFixture.key("k1", fill: 9)
        let sealed = try ArtifactFixture.seal(ArtifactFixture.plaintext(count: 1000), key: key, compression: .zstd)
        var (header, chunks) = ArtifactFixture.split(sealed)
        #expect(chunks.count > 3)
        chunks[3][0] ^= 1
        #expect(ArtifactFixture.open(header + chunks.joined(), keyring: try Keyring(keys: [key])).error == .tamperedChunk(index: 3))
    }
}
