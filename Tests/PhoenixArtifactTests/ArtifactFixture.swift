import PhoenixArtifact
import PhoenixCrypto
import Testing

/// Builders shared by the artifact tests: keys, sample data, and write/read helpers that feed
/// the streaming API in pieces of a chosen size.
enum ArtifactFixture {
    /// A small chunk size so that a few hundred bytes span several chunks.
    static let chunkSize = 64

    static func key(_ id: String, fill: UInt8) throws -> ArtifactKey {
        try ArtifactKey(id: #require(ArtifactKeyID(rawValue: id)), material: [UInt8](repeating: fill, count: 32))
    }

    static func keyID(_ id: String) throws -> ArtifactKeyID {
        try #require(ArtifactKeyID(rawValue: id))
    }

    /// Deterministic bytes that do not compress to nothing.
    static func plaintext(count: Int, seed: UInt64 = 1) -> [UInt8] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// The stored artifact and what the writer reported about it.
    struct Sealed {
        var bytes: [UInt8]
        var rawByteCount: Int
        var storedByteCount: Int
        var storedSHA256: String?
        var chunkCount: Int
        var header: ArtifactHeader
    }

    /// Writes `plaintext` in pieces of `pieceSize` bytes.
    static func seal(
        _ plaintext: [UInt8],
        key: ArtifactKey?,
        chunkSize: Int = chunkSize,
        compression: ArtifactCompression = .none,
        pieceSize: Int = 100
    ) throws -> Sealed {
        var writer = try ArtifactWriter(key: key, chunkSize: chunkSize, compression: compression)
        var stored: [UInt8] = []
        var offset = 0
        while offset < plaintext.count {
            let end = min(offset + pieceSize, plaintext.count)
            stored += try writer.write(plaintext[offset..<end])
            offset = end
        }
        stored += try writer.finish()
        return Sealed(
            bytes: stored, rawByteCount: writer.rawByteCount, storedByteCount: writer.storedByteCount,
            storedSHA256: writer.storedSHA256, chunkCount: writer.chunkCount, header: writer.header
        )
    }

    /// What a reader produced: everything it emitted, and the error it ended with, if any.
    struct Opened {
        var plaintext: [UInt8] = []
        var error: ArtifactError?
        var storedSHA256: String?
        var rawByteCount = 0
        var storedByteCount = 0
        var chunkCount = 0
        var largestPiece = 0
    }

    /// Reads `stored` in pieces of `pieceSize` bytes, collecting emitted plaintext even on failure.
    static func open(
        _ stored: [UInt8],
        keyring: Keyring,
        pieceSize: Int = 100,
        expectedStoredByteCount: Int? = nil
    ) -> Opened {
        var reader = ArtifactReader(keyring: keyring, expectedStoredByteCount: expectedStoredByteCount)
        var opened = Opened()
        let collect: (UnsafeRawBufferPointer) -> Void = { piece in
            opened.plaintext += piece
            opened.largestPiece = max(opened.largestPiece, piece.count)
        }
        do {
            var offset = 0
            while offset < stored.count {
                let end = min(offset + pieceSize, stored.count)
                try reader.consume(stored[offset..<end], emit: collect)
                offset = end
            }
            try reader.finish(emit: collect)
        } catch let error as ArtifactError {
            opened.error = error
        } catch {
            Issue.record("unexpected error type \(error)")
        }
        opened.storedSHA256 = reader.storedSHA256
        opened.rawByteCount = reader.rawByteCount
        opened.storedByteCount = reader.storedByteCount
        opened.chunkCount = reader.chunkCount
        return opened
    }

    /// Splits a stored artifact into its header and stored chunks (the last may be shorter).
    static func split(_ sealed: Sealed) -> (header: [UInt8], chunks: [[UInt8]]) {
        let headerCount = sealed.header.byteCount
        let stored = sealed.header.chunkSize + (sealed.header.isEncrypted ? 16 : 32)
        var chunks: [[UInt8]] = []
        var offset = headerCount
        while offset < sealed.bytes.count {
            let end = min(offset + stored, sealed.bytes.count)
            chunks.append(Array(sealed.bytes[offset..<end]))
            offset = end
        }
        return (Array(sealed.bytes[..<headerCount]), chunks)
    }
}

/// SplitMix64: a tiny seeded generator, so random tests replay exactly.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
