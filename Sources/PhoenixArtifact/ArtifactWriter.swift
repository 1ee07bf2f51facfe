import PhoenixCrypto

/// Writes an artifact as a stream: feed plaintext, store what comes back, in order.
///
/// Memory stays bounded whatever the artifact size: at most one chunk of plaintext is buffered
/// (plus zstd's window when compressing); each call returns the sealed bytes it completed,
/// header first. The writer counts raw and stored bytes and hashes what it returned (on a
/// second thread, `BackgroundHasher`), so the manifest can be filled in after `finish()`.
///
/// ```swift
/// var writer = try ArtifactWriter(key: keyring.current, compression: .zstd)
/// for try await piece in source { try await store.upload(writer.write(piece)) }
/// try await store.upload(writer.finish())
/// manifest.storedSHA256 = writer.storedSHA256 ?? ""
/// ```
///
/// Noncopyable: it owns a cipher context and a zstd stream whose state a copy would share.
public struct ArtifactWriter: ~Copyable {
    /// The header this artifact starts with.
    public let header: ArtifactHeader
    private let framer: ChunkFramer
    private let compressor: ZstdCompressor?
    private let hasher = BackgroundHasher()
    private var isHeaderWritten = false
    private var isClosed = false

    /// Plaintext bytes written so far (before compression).
    public private(set) var rawByteCount = 0
    /// Bytes returned so far (header and sealed chunks): the size of the stored object.
    public private(set) var storedByteCount = 0
    /// Sealed chunks returned so far.
    public var chunkCount: Int { framer.chunkCount }
    /// SHA-256 (lowercase hex) of all returned bytes; set by a successful `finish()`.
    public private(set) var storedSHA256: String?

    /// Starts an artifact.
    /// - Parameters:
    ///   - key: the master key to seal with, or nil for an unencrypted (SHA-256 framed) artifact.
    ///   - chunkSize: plaintext bytes per chunk, within `ArtifactHeader.chunkSizeRange`.
    ///   - compression: whether to zstd-compress the plaintext before chunking.
    /// - Throws: `ArtifactError.invalidChunkSize`, or `.crypto` / `.compressionFailed` on library failure.
    public init(
        key: ArtifactKey?,
        chunkSize: Int = ArtifactHeader.defaultChunkSize,
        compression: ArtifactCompression = .none
    ) throws(ArtifactError) {
        // Everything that can throw runs before the first stored property is set: a noncopyable
        // value cannot be left partly initialised.
        let (header, schedule) = try ArtifactHeader.make(key: key, compression: compression, chunkSize: chunkSize)
        let codec = try ChunkCodec(header: header, schedule: schedule)
        let compressor = compression == .zstd ? try ZstdCompressor() : nil
        self.header = header
        self.framer = ChunkFramer(codec: codec)
        self.compressor = compressor
    }

    /// Adds plaintext; returns the stored bytes it completed (possibly none, header first).
    /// - Throws: `ArtifactError`; after any error, or after `finish()`, every call throws `.streamClosed`.
    public mutating func write(_ bytes: UnsafeRawBufferPointer) throws(ArtifactError) -> [UInt8] {
        var output = try begin()
        rawByteCount += bytes.count
        do {
            try feed(bytes, into: &output)
        } catch {
            isClosed = true
            throw error
        }
        return end(output)
    }

    /// Adds plaintext; returns the stored bytes it completed (possibly none, header first).
    public mutating func write(_ bytes: some Collection<UInt8>) throws(ArtifactError) -> [UInt8] {
        try bytes.withUnsafeContiguousBytes { (raw) throws(ArtifactError) in try write(raw) }
    }

    /// Ends the artifact: flushes zstd, seals the final chunk and returns the last stored bytes.
    public mutating func finish() throws(ArtifactError) -> [UInt8] {
        var output = try begin()
        // Closed whatever happens next: a failed finish cannot be retried.
        isClosed = true
        if let compressor {
            let framer = framer
            try compressor.finish { (piece) throws(ArtifactError) in try framer.append(piece, to: &output) }
        }
        try framer.finish(to: &output)
        output = end(output)
        storedSHA256 = Hex.encode(hasher.finalize())
        return output
    }

    /// Refuses a closed writer; starts the output with the header the first time.
    private mutating func begin() throws(ArtifactError) -> [UInt8] {
        guard !isClosed else { throw .streamClosed }
        guard !isHeaderWritten else { return [] }
        isHeaderWritten = true
        return header.encoded()
    }

    /// Counts and hashes bytes on their way out.
    private mutating func end(_ output: [UInt8]) -> [UInt8] {
        storedByteCount += output.count
        hasher.update(output)
        return output
    }

    private func feed(_ bytes: UnsafeRawBufferPointer, into output: inout [UInt8]) throws(ArtifactError) {
        guard let compressor else {
            try framer.append(bytes, to: &output)
            return
        }
        let framer = framer
        try compressor.compress(bytes) { (piece) throws(ArtifactError) in try framer.append(piece, to: &output) }
    }
}
