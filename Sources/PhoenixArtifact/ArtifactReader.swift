import PhoenixCrypto

/// Reads an artifact as a stream: push stored bytes in, receive authenticated plaintext.
///
/// Memory stays bounded whatever the artifact size: about two stored chunks are buffered, and
/// decompressed output is handed out in pieces of at most 128 KiB. A chunk's plaintext is emitted
/// only after its tag (or digest) checked, but chunks are emitted as they arrive, so output is
/// unconfirmed until `finish` returns: a restore must not be put in service before that.
///
/// ```swift
/// var reader = ArtifactReader(keyring: keyring, expectedStoredByteCount: manifest.storedBytes)
/// for try await piece in store.download(key) { try reader.consume(piece) { try target.write($0) } }
/// try reader.finish { try target.write($0) }
/// guard reader.storedSHA256 == manifest.storedSHA256 else { … }
/// ```
///
/// How failures are told apart, each with its own `ArtifactError`:
/// - header: bad magic → `.notAnArtifact`; version byte → `.unsupportedVersion`; a hostile field
///   → `.corruptHeader(problem)`; any other changed header byte → `.corruptHeader(.digestMismatch)`;
///   key id not in the keyring → `.unknownKeyID`; commitment mismatch → `.wrongKey`.
/// - chunk at position i fails as (i, flag): retried as (i, other flag) and counters i±1…8:
///   as (i, final) with data after it → `.trailingData`; as (i, non-final) at the end →
///   `.truncated(.beforeFinalChunk)`; as j < i → `.duplicatedChunk`; as j > i → read up to 8
///   more chunks without emitting: chunk i turns up → `.reorderedChunks`, else `.missingChunk`;
///   as nothing → `.tamperedChunk(index: i)`.
/// - the stream ends inside the header or with fewer bytes than a tag → `.truncated`.
///
/// Cannot be told apart without the expected stored size (from the manifest or the store):
/// a cut that leaves at least 16 (encrypted) or 32 bytes of the last chunk, and bytes appended
/// after a final chunk shorter than the chunk size, both look like `.tamperedChunk` of the last
/// chunk. With `expectedStoredByteCount` they are reported as `.truncated` and `.trailingData`.
/// A damaged magic or version byte reads as `.notAnArtifact` / `.unsupportedVersion` (the
/// layout is unknown before them); a header whose digest was recomputed after a change reads as
/// `.wrongKey`; a chunk moved more than 8 places later reads as `.missingChunk`, one repeated
/// from more than 8 places back or taken from another artifact as `.tamperedChunk`.
///
/// Noncopyable: it owns a cipher context and a zstd stream whose state a copy would share.
public struct ArtifactReader: ~Copyable {
    enum Phase {
        case header
        case chunks
        /// Chunk `expected` failed and chunk `found` stood in its place; `looked` later chunks
        /// have been checked for chunk `expected` so far.
        case classifying(expected: Int, found: Int, looked: Int)
        case finished
        case failed(ArtifactError)
    }

    let keyring: Keyring
    let expectedStoredByteCount: Int?
    let hasher: BackgroundHasher
    var phase = Phase.header
    /// Header bytes, then the stored chunk being assembled (at most one chunk plus one byte).
    var pending: [UInt8] = []
    var stream: ChunkStream?

    /// The artifact's header, once it has been read and accepted.
    public internal(set) var header: ArtifactHeader?
    /// Stored bytes consumed so far.
    public internal(set) var storedByteCount = 0
    /// Plaintext bytes emitted so far (after decompression).
    public var rawByteCount: Int { stream?.rawByteCount ?? 0 }
    /// Chunks authenticated so far.
    public var chunkCount: Int { stream?.authenticatedCount ?? 0 }
    /// SHA-256 (lowercase hex) of every stored byte consumed; set by a successful `finish`.
    public internal(set) var storedSHA256: String?

    /// A reader that finds keys in `keyring` (an empty keyring reads unencrypted artifacts).
    /// - Parameters:
    ///   - expectedStoredByteCount: the object's size when known (manifest `stored_bytes` or
    ///     the store's object size); it makes truncation and appended data always recognisable.
    ///   - hashesAside: whether the SHA-256 of the stored bytes runs on a thread of its own
    ///     (a copy of each piece crosses to it); false hashes on the caller's thread.
    public init(keyring: Keyring, expectedStoredByteCount: Int? = nil, hashesAside: Bool = true) {
        self.keyring = keyring
        self.expectedStoredByteCount = expectedStoredByteCount
        hasher = BackgroundHasher(inline: !hashesAside)
    }

    /// Feeds stored bytes; `emit` receives authenticated plaintext (valid only during the call).
    /// - Throws: `ArtifactError`, or what `emit` throws. After any error every call throws again.
    public mutating func consume(_ bytes: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        try checkOpen()
        storedByteCount += bytes.count
        hasher.update(bytes)
        do {
            try feed(bytes, emit: emit)
        } catch {
            fail(error)
            throw error
        }
    }

    /// Feeds stored bytes; `emit` receives authenticated plaintext (valid only during the call).
    public mutating func consume(_ bytes: some Collection<UInt8>, emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        try bytes.withUnsafeContiguousBytes { raw in try consume(raw, emit: emit) }
    }

    /// Ends the stream: authenticates the final chunk, emits its plaintext and checks that
    /// nothing is missing. Only after this returns is the emitted output confirmed.
    public mutating func finish(emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        try checkOpen()
        do {
            try finishChunks(emit: emit)
        } catch {
            fail(error)
            throw error
        }
        phase = .finished
        storedSHA256 = Hex.encode(hasher.finalize())
    }

    private func checkOpen() throws(ArtifactError) {
        switch phase {
        case .finished: throw .streamClosed
        case .failed(let error): throw error
        case .header, .chunks, .classifying: return
        }
    }

    /// Remembers the first failure; an error thrown by the caller's `emit` closes the stream.
    private mutating func fail(_ error: any Error) {
        phase = .failed(error as? ArtifactError ?? .streamClosed)
    }
}
