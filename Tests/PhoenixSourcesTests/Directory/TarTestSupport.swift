import Logging
@testable import PhoenixSources

/// Shortcuts the Directory tests share.
enum TarTestSupport {
    static let logger = Logger(label: "phoenix.tests.directory")

    /// Archives `root` into memory.
    static func archive(_ root: String, options: ArchiveOptions = ArchiveOptions()) async throws -> (bytes: [UInt8], summary: ArchiveSummary) {
        let recorder = ChunkRecorder()
        let summary = try await DirectoryArchiver(root: root, options: options, logger: logger).archive(into: recorder.sink)
        return (recorder.bytes, summary)
    }

    /// Restores `bytes` into `root`, fed in pieces of `pieceSize` bytes.
    static func extract(_ bytes: [UInt8], into root: String, pieceSize: Int = 100_000, overwrite: Bool = false) async throws -> TreeSummary {
        let extractor = try DirectoryExtractor(root: root, options: ExtractOptions(overwrite: overwrite), logger: logger)
        for start in stride(from: 0, to: bytes.count, by: pieceSize) {
            try await extractor.write(Array(bytes[start..<min(start + pieceSize, bytes.count)]))
        }
        return try await extractor.finish()
    }

    /// Verifies `bytes`, fed in pieces of `pieceSize` bytes.
    static func verify(_ bytes: [UInt8], pieceSize: Int = 100_000) throws(DirectorySourceError) -> TreeSummary {
        var verifier = DirectoryVerifier()
        for start in stride(from: 0, to: bytes.count, by: pieceSize) {
            try verifier.consume(bytes[start..<min(start + pieceSize, bytes.count)])
        }
        return try verifier.finish()
    }

    /// Builds an archive from entries with `TarWriter` (file content given per path).
    static func makeArchive(_ entries: [(TarEntry, [UInt8])], chunkSize: Int = 64 * 1024) async throws -> [UInt8] {
        let recorder = ChunkRecorder()
        var writer = TarWriter(chunkSize: chunkSize, sink: recorder.sink)
        for (entry, content) in entries {
            try await writer.writeHeader(entry)
            if entry.kind == .file {
                try await writer.writeContent(content[...])
                try await writer.finishEntry()
            }
        }
        try await writer.finish()
        return recorder.bytes
    }

    /// All events of `bytes`, content merged per entry, fed in pieces of `pieceSize` bytes.
    static func events(_ bytes: [UInt8], pieceSize: Int = 4096) throws(DirectorySourceError) -> [(TarEntry, [UInt8])] {
        var reader = TarReader()
        var result: [(TarEntry, [UInt8])] = []
        for start in stride(from: 0, to: bytes.count, by: pieceSize) {
            reader.append(bytes[start..<min(start + pieceSize, bytes.count)])
            while let event = try reader.next() {
                switch event {
                case .entry(let entry): result.append((entry, []))
                case .content(let piece): result[result.count - 1].1 += piece
                case .entryEnd, .end: break
                }
            }
        }
        try reader.finish()
        return result
    }
}
