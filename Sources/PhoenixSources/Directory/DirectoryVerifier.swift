/// Reads a tar stream without writing anything and computes the `TreeSummary` a restore of it
/// would produce: the directory source's own check in a verify job.
///
/// It applies the same path rules as `DirectoryExtractor`, so an archive that verifies also
/// restores. Hashing is CPU work only; call it from any task, one at a time.
///
/// ```swift
/// let summary = try await DirectoryVerifier.verify(download.chunks)
/// guard summary == backup.tree else { throw VerifyFailure.mismatch }
/// ```
public struct DirectoryVerifier {
    private var reader: TarReader
    private var tally = EntryTally()

    /// Creates a verifier.
    public init(limits: TarReader.Limits = TarReader.Limits()) {
        reader = TarReader(limits: limits)
    }

    /// Parses and hashes one piece of the archive.
    /// - Throws: Framing errors from `TarReader`, or `.unsafePath`/`.duplicateEntry`.
    public mutating func consume(_ chunk: some Collection<UInt8>) throws(DirectorySourceError) {
        reader.append(chunk)
        while let event = try reader.next() {
            switch event {
            case .entry(let entry): _ = try tally.begin(entry)
            case .content(let bytes): tally.content(bytes)
            case .entryEnd: tally.end()
            case .end: break
            }
        }
    }

    /// Checks the archive is complete and returns its summary.
    /// - Throws: `.truncated` when the end-of-archive blocks never came.
    public mutating func finish() throws(DirectorySourceError) -> TreeSummary {
        try reader.finish()
        return tally.digest.summary()
    }

    /// Verifies a whole stream of chunks.
    ///
    /// This is the entry point for a pipeline that downloads the archive as an `AsyncSequence`.
    /// - Throws: What the sequence throws, or the verifier's `DirectorySourceError`.
    public static func verify<Chunks: AsyncSequence>(
        _ chunks: Chunks, limits: TarReader.Limits = TarReader.Limits()
    ) async throws -> TreeSummary where Chunks.Element == [UInt8] {
        var verifier = DirectoryVerifier(limits: limits)
        for try await chunk in chunks {
            try Task.checkCancellation()
            try verifier.consume(chunk)
        }
        return try verifier.finish()
    }
}

/// Not Sendable: it owns an incremental hasher; use one verifier from one task at a time.
@available(*, unavailable)
extension DirectoryVerifier: Sendable {}
