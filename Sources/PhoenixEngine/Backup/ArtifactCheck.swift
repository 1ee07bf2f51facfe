import PhoenixArtifact
import PhoenixConcurrency
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
        guard let checker else {
            return try await read(store: store, key: key, keyring: keyring, expectedStoredBytes: expectedStoredBytes) { _ in }
        }
        // The source's check (a tar walk hashing every file, an RDB walk) runs in a task of its
        // own, fed through a pipe: on two cores it overlaps decrypting and decompressing.
        let pipe = BoundedPipe(capacity: 1 << 20)
        let handedOver = HandedOverChecker(checker)
        return try await withThrowingTaskGroup(of: (recordCount: Int64?, contentDigest: String?).self) { group in
            group.addTask {
                let checker = handedOver.checker
                do {
                    while let piece = try await pipe.receive() { try checker.consume(piece) }
                    return try await checker.finish()
                } catch {
                    pipe.fail(error)
                    throw error
                }
            }
            var result: ArtifactCheckResult
            do {
                result = try await read(store: store, key: key, keyring: keyring, expectedStoredBytes: expectedStoredBytes) { piece in
                    try await pipe.write(piece)
                }
                pipe.finish()
            } catch {
                pipe.fail(error)
                // The checker's own error, if it failed first, says more than "pipe failed".
                while let next = await group.nextResult() {
                    if case .failure(let checkerError) = next, !(checkerError is CancellationError) { throw checkerError }
                }
                throw error
            }
            let checked = try await group.next()
            result.recordCount = checked?.recordCount
            result.contentDigest = checked?.contentDigest
            return result
        }
    }

    /// Downloads and authenticates the object, handing its plaintext to `deliver` in order.
    private static func read(store: any ArtifactStore, key: String, keyring: Keyring, expectedStoredBytes: Int?,
                             deliver: ([UInt8]) async throws -> Void) async throws -> ArtifactCheckResult {
        let download = try await store.download(key)
        var reader = ArtifactReader(keyring: keyring, expectedStoredByteCount: expectedStoredBytes)
        var plaintext: [[UInt8]] = []
        do {
            while true {
                try Task.checkCancellation()
                let piece = try await download.read(maxCount: readSize)
                if piece.isEmpty { break }
                try reader.consume(piece) { plaintext.append(Array($0)) }
                for piece in plaintext { try await deliver(piece) }
                plaintext.removeAll(keepingCapacity: true)
            }
            try reader.finish { plaintext.append(Array($0)) }
            for piece in plaintext { try await deliver(piece) }
        } catch {
            await download.close()
            throw error
        }
        await download.close()
        return ArtifactCheckResult(storedBytes: reader.storedByteCount, rawBytes: reader.rawByteCount,
                                   sha256: reader.storedSHA256 ?? "", recordCount: nil, contentDigest: nil)
    }
}

/// A checker handed to the task that runs it. Safety: from then on only that task touches it;
/// `run` itself never uses it again.
private struct HandedOverChecker: @unchecked Sendable {
    let checker: any SnapshotChecker

    init(_ checker: any SnapshotChecker) {
        self.checker = checker
    }
}
