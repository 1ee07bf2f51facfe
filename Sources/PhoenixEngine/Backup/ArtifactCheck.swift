import PhoenixArtifact
import PhoenixDomain

/// What reading a stored artifact back proved: every chunk authenticated, in order, to the end.
struct ArtifactCheckResult: Sendable, Equatable {
    var storedBytes: Int
    var rawBytes: Int
    var sha256: String
    /// The source's own count and digest, when a checker was given.
    var recordCount: Int64?
    var contentDigest: String?
}

/// Reads an object from a store through an `ArtifactReader` (DESIGN.md §3 Verify): the SHA-256
/// of the stored bytes, every chunk's tag, decompression, and the source's own check of the
/// plaintext. Nothing unauthenticated reaches the checker.
enum ArtifactCheck {
    static let readSize = 1 << 20

    static func run(store: any ArtifactStore, key: String, keyring: Keyring, expectedStoredBytes: Int?,
                    checker: (any SnapshotChecker)?) async throws -> ArtifactCheckResult {
        let download = try await store.download(key)
        var reader = ArtifactReader(keyring: keyring, expectedStoredByteCount: expectedStoredBytes)
        do {
            while true {
                try Task.checkCancellation()
                let piece = try await download.read(maxCount: readSize)
                if piece.isEmpty { break }
                try reader.consume(piece) { plaintext in try checker?.consume(Array(plaintext)) }
            }
            try reader.finish { plaintext in try checker?.consume(Array(plaintext)) }
        } catch {
            await download.close()
            throw error
        }
        await download.close()
        let checked = try await checker?.finish()
        return ArtifactCheckResult(storedBytes: reader.storedByteCount, rawBytes: reader.rawByteCount,
                                   sha256: reader.storedSHA256 ?? "", recordCount: checked?.recordCount,
                                   contentDigest: checked?.contentDigest)
    }
}
