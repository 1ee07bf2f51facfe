import CZstd
import Dispatch
import Glibc

/// zstd compression of an artifact's plaintext on up to two threads beside the pipeline.
///
/// The plaintext is cut into segments of `segmentSize`; each is compressed as a frame of its
/// own by one of the workers, and the frames are emitted in order. A zstd stream may hold any
/// number of frames one after another: `ZstdDecompressor` (and `zstd -d`) read them as one
/// stream, and an artifact written as a single frame reads the same way.
///
/// Why not zstd's own workers (`ZSTD_c_nbWorkers`): measured on a 512 MiB backup, each worker
/// raised the peak memory by about 15 MiB (job buffers and per-job contexts), two workers by
/// 42 MiB; this allocates its buffers once: two segments in flight, one filling, two frames
/// and two contexts, about 3.5 MiB. On the 1 GiB benchmark set, independent 256 KiB frames
/// stored 447.3 MiB, 512 KiB frames 446.8 MiB, one stream with a 2 MiB window 446 MiB.
final class ZstdCompressor {
    /// zstd's default level: fast, and frames of one segment need a window of 256 KiB at most,
    /// far below the reader's limit (`ZstdDecompressor.windowLogMaximum`).
    static let level: Int32 = 3
    /// Plaintext bytes per frame: a quarter of the artifact's default chunk size, for memory.
    /// 512 KiB stored 0.1 % less and held 1.25 MiB more at the backup's peak; 1 MiB gained
    /// nothing more in size and cost 2 MiB more again.
    static let segmentSize = 256 << 10
    /// One worker per core, two at most: the pipeline's other stages need a core too.
    static let workerCount = sysconf(Int32(_SC_NPROCESSORS_ONLN)) >= 2 ? 2 : 1

    private let workers: [SegmentWorker]
    /// The segment being filled; swapped with a worker's idle input buffer when full, so no
    /// buffer is allocated after `init`.
    private var filling: UnsafeMutableRawBufferPointer
    private var filled = 0
    /// Workers with a segment in flight, oldest first; segments go round-robin.
    private var busy: [SegmentWorker] = []
    private var submitted = 0

    init() throws(ArtifactError) {
        var workers: [SegmentWorker] = []
        for index in 0..<Self.workerCount { workers.append(try SegmentWorker(index: index)) }
        self.workers = workers
        filling = .allocate(byteCount: Self.segmentSize, alignment: 64)
    }

    deinit {
        // A worker may still run a segment of an abandoned artifact: wait, then free.
        for worker in busy { worker.done.wait() }
        filling.deallocate()
    }

    /// Compresses `input`, handing each finished frame to `emit` (the last ones are held back
    /// until more input or `finish`).
    func compress(_ input: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws(ArtifactError) -> Void) throws(ArtifactError) {
        var rest = input
        while !rest.isEmpty {
            let take = min(Self.segmentSize - filled, rest.count)
            UnsafeMutableRawBufferPointer(rebasing: filling[filled..<(filled + take)]).copyMemory(from: UnsafeRawBufferPointer(rebasing: rest[..<take]))
            filled += take
            rest = UnsafeRawBufferPointer(rebasing: rest[take...])
            if filled == Self.segmentSize { try submitSegment(emit: emit) }
        }
    }

    /// Compresses what is left and hands every remaining frame to `emit`, in order.
    func finish(emit: (UnsafeRawBufferPointer) throws(ArtifactError) -> Void) throws(ArtifactError) {
        // An empty artifact still gets one (empty) frame: the reader refuses a stream without any.
        if filled > 0 || submitted == 0 { try submitSegment(emit: emit) }
        while !busy.isEmpty { try emitOldest(emit: emit) }
    }

    private func submitSegment(emit: (UnsafeRawBufferPointer) throws(ArtifactError) -> Void) throws(ArtifactError) {
        let worker = workers[submitted % workers.count]
        // Round-robin: the oldest segment in flight is this worker's, when all are busy.
        if busy.count == workers.count { try emitOldest(emit: emit) }
        filling = worker.start(filling, count: filled)
        filled = 0
        submitted += 1
        busy.append(worker)
    }

    private func emitOldest(emit: (UnsafeRawBufferPointer) throws(ArtifactError) -> Void) throws(ArtifactError) {
        let worker = busy.removeFirst()
        try emit(try worker.frame())
    }

    static func errorName(_ code: Int) -> String {
        ZSTD_getErrorName(code).map { String(cString: $0) } ?? "zstd error \(code)"
    }
}

/// A thread (a serial queue), the compression context it alone uses, and its two buffers: the
/// segment it compresses and the frame it writes.
private final class SegmentWorker: @unchecked Sendable {
    // Safety: between `start` and `done` being signalled only the queue touches `context`,
    // `input` and `output`; before and after, only the compressor's thread does.
    private let context: OpaquePointer
    private let queue: DispatchQueue
    private var input: UnsafeMutableRawBufferPointer
    private let output: UnsafeMutableRawBufferPointer
    private var result = 0
    let done = DispatchSemaphore(value: 0)

    init(index: Int) throws(ArtifactError) {
        guard let context = ZSTD_createCCtx() else { throw .compressionFailed("cannot allocate a compression context") }
        let status = ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, ZstdCompressor.level)
        if ZSTD_isError(status) != 0 {
            ZSTD_freeCCtx(context)
            throw .compressionFailed(ZstdCompressor.errorName(status))
        }
        // Each frame ends with a checksum (XXH64) of the plaintext it was made from, which every
        // decompression checks: a frame that decodes to other bytes than went in is an error.
        let checksum = ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1)
        if ZSTD_isError(checksum) != 0 {
            ZSTD_freeCCtx(context)
            throw .compressionFailed(ZstdCompressor.errorName(checksum))
        }
        self.context = context
        queue = DispatchQueue(label: "phoenix.artifact.zstd.\(index)")
        input = .allocate(byteCount: ZstdCompressor.segmentSize, alignment: 64)
        output = .allocate(byteCount: ZSTD_compressBound(ZstdCompressor.segmentSize), alignment: 64)
    }

    deinit {
        ZSTD_freeCCtx(context)
        input.deallocate()
        output.deallocate()
    }

    /// Takes `segment` (its first `count` bytes) to compress, and returns its idle input buffer.
    func start(_ segment: UnsafeMutableRawBufferPointer, count: Int) -> UnsafeMutableRawBufferPointer {
        let idle = input
        input = segment
        queue.async {
            self.result = ZSTD_compress2(self.context, self.output.baseAddress, self.output.count, self.input.baseAddress, count)
            self.done.signal()
        }
        return idle
    }

    /// Waits for the segment in flight; its frame, valid until the next `start`.
    func frame() throws(ArtifactError) -> UnsafeRawBufferPointer {
        done.wait()
        if ZSTD_isError(result) != 0 { throw .compressionFailed(ZstdCompressor.errorName(result)) }
        return UnsafeRawBufferPointer(rebasing: output[..<result])
    }
}
