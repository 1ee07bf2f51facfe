/// A streaming POSIX tar writer (ustar headers, PAX records where ustar falls short).
///
/// Bytes leave through `sink` in pieces of exactly `chunkSize` bytes (the last one shorter), so
/// the writer holds at most one chunk whatever the file sizes. Content is pushed piece by piece;
/// the writer checks it against the declared size and pads the entry to whole blocks.
///
/// ```swift
/// var writer = TarWriter(chunkSize: 256 * 1024) { chunk in try await upload.write(chunk) }
/// try await writer.writeHeader(TarEntry(kind: .file, path: "a.txt", size: 5))
/// try await writer.writeContent(Array("hello".utf8)[...])
/// try await writer.finishEntry()
/// try await writer.finish()
/// ```
public struct TarWriter: Sendable {
    /// The chunk size when none is given: big enough for efficient uploads, small for memory.
    public static let defaultChunkSize = 256 * 1024
    /// Smallest and largest accepted chunk sizes; other values are clamped into this range.
    public static let chunkSizeRange = 64 * 1024...1024 * 1024

    private static let zeros = [UInt8](repeating: 0, count: 64 * 1024)

    /// Bytes passed to the sink so far.
    public private(set) var bytesWritten: Int64 = 0
    /// The largest number of bytes buffered at once (for bounded-memory checks).
    public private(set) var peakBufferedBytes = 0

    private let chunkSize: Int
    private let sink: @Sendable ([UInt8]) async throws -> Void
    private var pending: [UInt8] = []
    /// The open regular file: its path, declared size and content written so far.
    private var open: (path: String, size: Int64, written: Int64)?
    private var isFinished = false

    /// Creates a writer.
    /// - Parameters:
    ///   - chunkSize: Bytes per sink call, clamped to `chunkSizeRange`.
    ///   - sink: Receives the archive in order; the writer awaits it before buffering more.
    public init(chunkSize: Int = defaultChunkSize, sink: @escaping @Sendable (_ chunk: [UInt8]) async throws -> Void) {
        self.chunkSize = min(max(chunkSize, Self.chunkSizeRange.lowerBound), Self.chunkSizeRange.upperBound)
        self.sink = sink
        pending.reserveCapacity(self.chunkSize)
    }

    /// Writes the header(s) of `entry`. Directories and symlinks are complete after this; a file
    /// then takes `size` bytes through `writeContent(_:)` and ends with `finishEntry()`.
    /// - Throws: `DirectorySourceError.invalidEntry` if the previous file is unfinished or the
    ///   entry cannot be encoded, or whatever `sink` throws.
    public mutating func writeHeader(_ entry: TarEntry) async throws {
        guard open == nil, !isFinished else {
            throw DirectorySourceError.invalidEntry(path: entry.path, reason: "previous entry not finished")
        }
        try await emit(UstarHeader.blocks(for: entry)[...])
        if entry.kind == .file { open = (entry.path, entry.size, 0) }
    }

    /// Appends content of the open file.
    /// - Throws: `.invalidEntry` when no file is open or `bytes` goes past the declared size.
    public mutating func writeContent(_ bytes: ArraySlice<UInt8>) async throws {
        guard let file = open else {
            throw DirectorySourceError.invalidEntry(path: "", reason: "content without an open file entry")
        }
        guard Int64(bytes.count) <= file.size - file.written else {
            throw DirectorySourceError.invalidEntry(path: file.path, reason: "content longer than the declared size")
        }
        open?.written += Int64(bytes.count)
        try await emit(bytes)
    }

    /// Ends the open file: zero-fills content that never came (a file that shrank while being
    /// read) and pads to a whole block. Does nothing when no file is open.
    /// - Returns: How many zero bytes stood in for missing content.
    @discardableResult
    public mutating func finishEntry() async throws -> Int64 {
        guard let file = open else { return 0 }
        let missing = file.size - file.written
        try await emitZeros(missing + Int64(UstarHeader.padding(for: file.size)))
        open = nil
        return missing
    }

    /// Ends the archive with two zero blocks and hands the last partial chunk to the sink.
    public mutating func finish() async throws {
        try await finishEntry()
        guard !isFinished else { return }
        isFinished = true
        try await emitZeros(Int64(2 * UstarHeader.blockSize))
        if !pending.isEmpty { try await flush() }
    }

    // MARK: - Chunking

    private mutating func emitZeros(_ count: Int64) async throws {
        var left = count
        while left > 0 {
            let piece = Int(min(left, Int64(Self.zeros.count)))
            try await emit(Self.zeros[0..<piece])
            left -= Int64(piece)
        }
    }

    private mutating func emit(_ bytes: ArraySlice<UInt8>) async throws {
        var rest = bytes
        while !rest.isEmpty {
            let room = chunkSize - pending.count
            pending.append(contentsOf: rest.prefix(room))
            rest = rest.dropFirst(room)
            peakBufferedBytes = max(peakBufferedBytes, pending.count)
            if pending.count == chunkSize { try await flush() }
        }
    }

    private mutating func flush() async throws {
        let chunk = pending
        pending = []
        pending.reserveCapacity(chunkSize)
        bytesWritten += Int64(chunk.count)
        try await sink(chunk)
    }
}
