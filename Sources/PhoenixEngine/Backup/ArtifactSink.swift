import PhoenixArtifact
import PhoenixDomain
import Synchronization

/// The backup pipeline's front: what a source writes is compressed, encrypted and hashed by an
/// `ArtifactWriter` and the sealed bytes go to the store's upload as they come (DESIGN.md §3),
/// so memory stays at about one chunk whatever the snapshot's size.
///
/// A source writes from one task at a time; the lock only guards the writer against misuse.
final class ArtifactSink: SnapshotSink {
    private let writer: Mutex<ArtifactWriter>
    private let upload: any ObjectUpload
    private let onProgress: @Sendable (_ rawBytes: Int64) async -> Void
    /// Progress is reported every `progressStep` raw bytes, not on every write.
    private let progressStep: Int64
    private let reported = Atomic<Int64>(0)

    init(writer: consuming sending ArtifactWriter, upload: any ObjectUpload, progressStep: Int64 = 8 << 20,
         onProgress: @escaping @Sendable (Int64) async -> Void) {
        self.writer = Mutex(writer)
        self.upload = upload
        self.progressStep = progressStep
        self.onProgress = onProgress
    }

    func write(_ bytes: [UInt8]) async throws {
        let (sealed, raw) = try writer.withLock { writer throws(ArtifactError) in
            (try writer.write(bytes), Int64(writer.rawByteCount))
        }
        if !sealed.isEmpty { try await upload.write(sealed) }
        if raw - reported.load(ordering: .relaxed) >= progressStep {
            reported.store(raw, ordering: .relaxed)
            await onProgress(raw)
        }
    }

    /// Seals the last chunk and sends it; returns what the manifest records of the artifact.
    func finish() async throws -> (rawBytes: Int, storedBytes: Int, sha256: String, chunkSize: Int) {
        let (tail, raw, stored, sha256, chunkSize) = try writer.withLock { writer throws(ArtifactError) in
            let tail = try writer.finish()
            return (tail, writer.rawByteCount, writer.storedByteCount, writer.storedSHA256 ?? "", writer.header.chunkSize)
        }
        if !tail.isEmpty { try await upload.write(tail) }
        await onProgress(Int64(raw))
        return (raw, stored, sha256, chunkSize)
    }
}
