/// The reader's per-artifact state once the header is accepted: the codec, the optional zstd
/// stream, where the next stored chunk starts, and one reusable plaintext buffer.
///
/// A class so the reader can hand its buffers to C and to the caller's closure without
/// exclusive-access conflicts on the (noncopyable) reader struct.
final class ChunkStream {
    let codec: ChunkCodec
    let decompressor: ZstdDecompressor?
    /// The position (expected chunk counter) of the next stored chunk.
    private(set) var position = 0
    /// Offset in the stored object where the next stored chunk starts.
    private(set) var offset: Int
    /// Chunks that authenticated and were delivered.
    private(set) var authenticatedCount = 0
    /// Plaintext bytes handed to the caller (after decompression).
    private(set) var rawByteCount = 0
    /// The plaintext of the chunk being delivered; it only ever holds authenticated bytes.
    private var plaintext: [UInt8] = []

    init(codec: ChunkCodec, compression: ArtifactCompression, headerCount: Int) throws(ArtifactError) {
        self.codec = codec
        self.decompressor = compression == .zstd ? try ZstdDecompressor() : nil
        self.offset = headerCount
    }

    /// Authenticates `stored` as the chunk at the current position and, if it is, hands its
    /// plaintext to `emit` (through zstd when compressed). Returns false, emitting nothing, if
    /// it does not authenticate.
    func deliver(_ stored: UnsafeRawBufferPointer, isFinal: Bool, emit: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
        plaintext.removeAll(keepingCapacity: true)
        guard try codec.open(stored, counter: position, isFinal: isFinal, appendingTo: &plaintext) else { return false }
        authenticatedCount += 1
        if let decompressor {
            try plaintext.withUnsafeBytes { bytes in
                try decompressor.decompress(bytes) { piece in
                    rawByteCount += piece.count
                    try emit(piece)
                }
            }
        } else if !plaintext.isEmpty {
            rawByteCount += plaintext.count
            try plaintext.withUnsafeBytes(emit)
        }
        return true
    }

    /// Moves past a stored chunk of `count` bytes.
    func advance(by count: Int) {
        position += 1
        offset += count
    }
}
