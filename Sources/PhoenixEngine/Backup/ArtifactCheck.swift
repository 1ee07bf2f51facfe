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
    /// Bytes asked of the store per read: aside, 1 MiB, a copy of which crosses to the hashing
    /// thread; inline, where nothing is copied, 256 KiB keeps less in memory at once.
    static func readSize(aside: Bool) -> Int { aside ? 1 << 20 : 256 << 10 }

    static func run(store: any ArtifactStore, key: String, keyring: Keyring, expectedStoredBytes: Int?,
                    checker: (any SnapshotChecker)?) async throws -> ArtifactCheckResult {
        try await run(store.download(key), keyring: keyring, expectedStoredBytes: expectedStoredBytes, checker: checker)
    }

    /// The same over an open download (a store's object, or an upload followed as it is written).
    /// - Parameter aside: whether the stored bytes' SHA-256 and the source's check run on threads
    ///   of their own, as they should when nothing else keeps the cores busy; false does all of
    ///   it on the calling thread, with no hand-offs (and no copy for the hash).
    static func run(_ download: any ObjectDownload, keyring: Keyring, expectedStoredBytes: Int?,
                    checker: (any SnapshotChecker)?, aside: Bool = true) async throws -> ArtifactCheckResult {
        // Aside, the source's check (a tar walk hashing every file, an RDB walk) runs on a thread
        // of its own: on two cores it overlaps decrypting and decompressing.
        let background = checker.map { BackgroundChecker($0, inline: !aside) }
        var reader = ArtifactReader(keyring: keyring, expectedStoredByteCount: expectedStoredBytes, hashesAside: aside)
        do {
            while true {
                try Task.checkCancellation()
                let piece = try await download.read(maxCount: readSize(aside: aside))
                if piece.isEmpty { break }
                try reader.consume(piece) { plaintext in try background?.consume(plaintext) }
            }
            try reader.finish { plaintext in try background?.consume(plaintext) }
        } catch {
            await download.close()
            background?.drain()  // the checker's thread goes quiet before the error leaves
            throw error
        }
        await download.close()
        let checked = try await background?.finish()
        return ArtifactCheckResult(storedBytes: reader.storedByteCount, rawBytes: reader.rawByteCount,
                                   sha256: reader.storedSHA256 ?? "", recordCount: checked?.recordCount,
                                   contentDigest: checked?.contentDigest)
    }
}
