import CZstd

/// Streaming zstd decompression in bounded memory, over a `ZSTD_DCtx` it alone owns.
///
/// A decompression bomb (a few KB that expand to GBs) cannot make it allocate much: output is
/// produced into one fixed buffer of `ZSTD_DStreamOutSize()` (128 KiB) and handed out piece by
/// piece, and the frame's window, the only other large allocation, is capped.
final class ZstdDecompressor {
    /// 2^23 = 8 MiB, the largest window a frame may ask for. Frames written by `ZstdCompressor`
    /// (level 3) use 2 MiB; zstd's own default limit is 2^27 (128 MiB).
    static let windowLogMaximum: Int32 = 23

    private let context: OpaquePointer
    private let buffer: UnsafeMutableRawBufferPointer
    /// Whether the last call ended exactly on a frame boundary. False before any input: our
    /// writer always emits a frame, so a compressed artifact with no frame at all is corrupt.
    private var isAtFrameEnd = false

    /// The largest piece `decompress` hands out.
    var pieceLimit: Int { buffer.count }

    init() throws(ArtifactError) {
        guard let context = ZSTD_createDCtx() else { throw .decompressionFailed("cannot allocate a decompression context") }
        let result = ZSTD_DCtx_setParameter(context, ZSTD_d_windowLogMax, Self.windowLogMaximum)
        if ZSTD_isError(result) != 0 {
            let error = ArtifactError.decompressionFailed(ZstdCompressor.errorName(result))
            ZSTD_freeDCtx(context)
            throw error
        }
        self.context = context
        buffer = .allocate(byteCount: ZSTD_DStreamOutSize(), alignment: 16)
    }

    deinit {
        ZSTD_freeDCtx(context)
        buffer.deallocate()
    }

    /// Decompresses `input`, handing each piece (at most `pieceLimit` bytes) to `emit`.
    /// - Throws: `ArtifactError.decompressionFailed`, or whatever `emit` throws.
    func decompress(_ input: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        var source = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        while true {
            var sink = ZSTD_outBuffer(dst: buffer.baseAddress, size: buffer.count, pos: 0)
            let consumedBefore = source.pos
            let hint = ZSTD_decompressStream(context, &sink, &source)
            if ZSTD_isError(hint) != 0 { throw ArtifactError.decompressionFailed(ZstdCompressor.errorName(hint)) }
            // 0 means a frame was completed and fully flushed. A call that neither read nor
            // wrote anything right after that (a full buffer made us ask once more) reports the
            // next frame's header as pending, which must not undo "at a frame end".
            if hint == 0 {
                isAtFrameEnd = true
            } else if source.pos != consumedBefore || sink.pos > 0 {
                isAtFrameEnd = false
            }
            if sink.pos > 0 { try emit(UnsafeRawBufferPointer(rebasing: buffer[..<sink.pos])) }
            // zstd.h, ZSTD_decompressStream: when the output buffer was not filled, all input
            // that can be decoded now has been consumed and everything decodable was flushed.
            if source.pos == source.size, sink.pos < sink.size || hint == 0 { return }
        }
    }

    /// Checks that the stream ended on a frame boundary.
    func finish() throws(ArtifactError) {
        guard isAtFrameEnd else { throw .decompressionFailed("the compressed stream ends inside a frame") }
    }
}
