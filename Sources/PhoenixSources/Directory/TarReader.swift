/// An incremental push parser for POSIX ustar/pax archives (and GNU long names).
///
/// Feed it pieces of any size with `append(_:)`, then call `next()` until it returns nil
/// (meaning "need more bytes"); call `finish()` when the input ends. Memory stays bounded: the
/// reader keeps the unconsumed part of the last piece plus at most one extended header
/// (`Limits.maxExtendedHeaderSize`). Content is handed out as slices of the appended bytes.
///
/// Entry types: regular files (`0`, NUL, `7`), directories (`5`) and symlinks (`2`) become
/// entries; PAX `x` headers and GNU `L`/`K` long names are applied to the next entry; PAX global
/// `g` headers are validated and ignored. Everything else (hard links `1`, devices `3`/`4`,
/// FIFOs `6`, GNU sparse files, unknown types) is an error, not skipped: a restore that silently
/// drops members would pass for complete.
///
/// ```swift
/// var reader = TarReader()
/// for try await chunk in download {
///     reader.append(chunk)
///     while let event = try reader.next() { handle(event) }
/// }
/// try reader.finish()
/// ```
public struct TarReader: Sendable {
    /// Bounds that turn hostile sizes into errors instead of allocations.
    public struct Limits: Sendable, Hashable {
        /// The largest content an entry may declare (default 16 TiB).
        public var maxEntrySize: Int64
        /// The largest PAX or GNU long-name header (default 1 MiB); it is buffered whole.
        public var maxExtendedHeaderSize: Int64

        /// Creates limits; the defaults suit directory backups.
        public init(maxEntrySize: Int64 = 1 << 44, maxExtendedHeaderSize: Int64 = 1 << 20) {
            self.maxEntrySize = maxEntrySize
            self.maxExtendedHeaderSize = maxExtendedHeaderSize
        }
    }

    /// What the parser found.
    public enum Event: Sendable, Hashable {
        /// A header; for a file, `.content` pieces totalling `size` bytes follow.
        case entry(TarEntry)
        /// A piece of the current file's content.
        case content(ArraySlice<UInt8>)
        /// The current entry is complete (sent for every entry, after its content).
        case entryEnd
        /// The two zero blocks that end the archive.
        case end
    }

    enum ExtendedKind { case pax, paxGlobal, longName, longLink }

    /// What extended headers said about the next entry.
    struct PendingOverrides {
        var records: [String: [UInt8]] = [:]
        var longName: [UInt8]?
        var longLink: [UInt8]?
        var isEmpty: Bool { records.isEmpty && longName == nil && longLink == nil }
    }

    enum State {
        case header
        case extended(ExtendedKind, size: Int64, offset: Int64)
        /// Content (emitted or skipped) then block padding, then `entryEnd`.
        case content(remaining: Int64, padding: Int64, isEmitted: Bool)
        case secondZeroBlock(firstOffset: Int64)
        case ended
        case failed(DirectorySourceError)
    }

    let limits: Limits
    var state = State.header
    var buffer: [UInt8] = []
    var readIndex = 0
    /// Archive offset of `buffer[readIndex]`.
    public private(set) var offset: Int64 = 0
    /// PAX records and GNU long names waiting for the next ordinary header.
    var pending = PendingOverrides()

    /// Creates a reader.
    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Adds input. Drain `next()` before appending again to keep memory bounded.
    public mutating func append(_ bytes: some Collection<UInt8>) {
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: true)
        } else if readIndex > 0 {
            buffer.removeFirst(readIndex)
        }
        readIndex = 0
        buffer.append(contentsOf: bytes)
    }

    /// The next event, or nil when more input is needed.
    /// - Throws: A framing error; the reader then keeps throwing it.
    public mutating func next() throws(DirectorySourceError) -> Event? {
        if case .failed(let error) = state { throw error }
        do {
            return try step()
        } catch {
            state = .failed(error)
            throw error
        }
    }

    /// Checks that the input ended after the end-of-archive blocks (plus zero padding). Call it
    /// once `next()` has returned nil for the last piece.
    /// - Throws: `.truncated` naming where the archive stopped.
    public mutating func finish() throws(DirectorySourceError) {
        if case .ended = state { _ = try next() }  // checks trailing padding
        let point: DirectorySourceError.TruncationPoint
        switch state {
        case .ended: return
        case .failed(let error): throw error
        case .header: point = available == 0 ? .endOfArchive : .header
        case .secondZeroBlock: point = .endOfArchive
        case .extended, .content: point = .content
        }
        let error = DirectorySourceError.truncated(offset: offset + Int64(available), point: point)
        state = .failed(error)
        throw error
    }

    var available: Int { buffer.count - readIndex }

    mutating func take(_ count: Int) -> ArraySlice<UInt8> {
        let slice = buffer[readIndex..<(readIndex + count)]
        readIndex += count
        offset += Int64(count)
        return slice
    }
}
