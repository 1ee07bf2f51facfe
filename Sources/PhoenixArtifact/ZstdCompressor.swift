import CZstd
import Glibc

/// Streaming zstd compression (one frame per artifact) over a `ZSTD_CCtx` it alone owns.
final class ZstdCompressor {
    /// zstd's default level: fast, and its 2 MiB window (windowLog 21) stays far below the
    /// reader's limit (`ZstdDecompressor.windowLogMaximum`).
    static let level: Int32 = 3

    /// Threads that compress beside the pipeline when the machine has a second core: zstd is
    /// the costliest stage of a directory backup, and on one thread it left the other core idle.
    /// The frame is the same kind of frame (one reader for both), and deterministic.
    static let workers: Int32 = sysconf(Int32(_SC_NPROCESSORS_ONLN)) >= 2 ? 2 : 0
    /// Bytes each worker takes at a time: zstd's default for level 3 is 8 MiB, which with the
    /// jobs in flight costs tens of MiB; 1 MiB keeps a backup's memory bounded and small, for
    /// a compression ratio within about a percent.
    static let jobSize: Int32 = 1 << 20

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
        // A libzstd built without threads refuses the workers: it then compresses on this thread.
        if Self.workers > 0, ZSTD_isError(ZSTD_CCtx_setParameter(context, ZSTD_c_nbWorkers, Self.workers)) == 0 {
            _ = ZSTD_CCtx_setParameter(context, ZSTD_c_jobSize, Self.jobSize)
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
