import CZstd

/// Streaming zstd compression (one frame per artifact) over a `ZSTD_CCtx` it alone owns.
final class ZstdCompressor {
    /// zstd's default level: fast, and its 2 MiB window (windowLog 21) stays far below the
    /// reader's limit (`ZstdDecompressor.windowLogMaximum`).
    static let level: Int32 = 3

    private let context: OpaquePointer
    /// Output staging; `ZSTD_CStreamOutSize()` guarantees progress on every call.
    private let buffer: UnsafeMutableRawBufferPointer

    init() throws(ArtifactError) {
        guard let context = ZSTD_createCCtx() else { throw .compressionFailed("cannot allocate a compression context") }
        let result = ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, Self.level)
        if ZSTD_isError(result) != 0 {
            let error = ArtifactError.compressionFailed(Self.errorName(result))
            ZSTD_freeCCtx(context)
            throw error
        }
        self.context = context
        buffer = .allocate(byteCount: ZSTD_CStreamOutSize(), alignment: 16)
    }

    deinit {
        ZSTD_freeCCtx(context)
        buffer.deallocate()
    }

    /// Compresses `input`, handing each piece of output to `emit` (zstd may hold some back).
    func compress(_ input: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws(ArtifactError) -> Void) throws(ArtifactError) {
        try drive(input, directive: ZSTD_e_continue, emit: emit)
    }

    /// Ends the frame, handing the remaining output to `emit`.
    func finish(emit: (UnsafeRawBufferPointer) throws(ArtifactError) -> Void) throws(ArtifactError) {
        try drive(UnsafeRawBufferPointer(start: nil, count: 0), directive: ZSTD_e_end, emit: emit)
    }

    private func drive(
        _ input: UnsafeRawBufferPointer,
        directive: ZSTD_EndDirective,
        emit: (UnsafeRawBufferPointer) throws(ArtifactError) -> Void
    ) throws(ArtifactError) {
        var source = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        while true {
            var sink = ZSTD_outBuffer(dst: buffer.baseAddress, size: buffer.count, pos: 0)
            let remaining = ZSTD_compressStream2(context, &sink, &source, directive)
            if ZSTD_isError(remaining) != 0 { throw .compressionFailed(Self.errorName(remaining)) }
            if sink.pos > 0 { try emit(UnsafeRawBufferPointer(rebasing: buffer[..<sink.pos])) }
            // zstd.h, ZSTD_compressStream2: with e_continue, call until the input is consumed;
            // with e_end, until it returns 0 (the frame is fully flushed).
            let isDone = directive == ZSTD_e_end ? remaining == 0 : source.pos == source.size
            if isDone { return }
        }
    }

    static func errorName(_ code: Int) -> String {
        ZSTD_getErrorName(code).map { String(cString: $0) } ?? "zstd error \(code)"
    }
}
