import FoundationEssentials
import PhoenixArtifact
import PhoenixConcurrency
import PhoenixDomain

extension BackupJobHandler {
    /// What the snapshot step stored.
    struct Written: Sendable {
        var summary: SnapshotSummary
        var rawBytes: Int
        var storedBytes: Int
        var sha256: String
        var chunkSize: Int
        var compression: ArtifactCompression
        /// The read-back that ran beside the snapshot, where the store could follow the upload.
        var following: FollowingReadBack?
    }

    /// Streams the source's snapshot into a new object; on failure the upload is aborted, so no
    /// partial object stays behind.
    func snapshot(_ source: any BackupSource, to store: any ArtifactStore, key: String, artifactKey: ArtifactKey?,
                  job: Job, context: JobContext) async throws -> Written {
        let compression: ArtifactCompression = source.isCompressible ? .zstd : .none
        let writer = try ArtifactWriter(key: artifactKey, chunkSize: environment.chunkSize, compression: compression)
        let upload = try await store.upload(key)
        let catalog = context.catalog
        let sink = ArtifactSink(writer: writer, upload: upload) { raw in
            try? await catalog.updateProgress(of: job.id, bytesDone: raw, bytesTotal: nil, items: 0)
        }
        var following: FollowingReadBack?
        do {
            // A store that cannot be followed just now is read once the upload is complete.
            following = try? await FollowingReadBack.start(following: upload, source: source, keyring: environment.keyring)
            let summary = try await Self.overlapped(source, into: sink)
            let sealed = try await sink.finish()
            let stored = try await upload.complete()
            guard stored.size == Int64(sealed.storedBytes) else {
                throw BackupFailure("the store kept \(stored.size) bytes of \(sealed.storedBytes)")
            }
            if let count = summary.recordCount {
                try? await catalog.updateProgress(of: job.id, bytesDone: Int64(sealed.rawBytes), bytesTotal: Int64(sealed.rawBytes), items: count)
            }
            return Written(summary: summary, rawBytes: sealed.rawBytes, storedBytes: sealed.storedBytes, sha256: sealed.sha256,
                           chunkSize: sealed.chunkSize, compression: compression, following: following)
        } catch {
            await upload.abort()
            await following?.cancel()
            throw error
        }
    }

    /// Runs the source in this task and the pipeline in a child task, joined by a 1 MiB pipe: on
    /// two cores reading and archiving overlap compressing, encrypting, hashing and storing.
    static func overlapped(_ source: any BackupSource, into sink: ArtifactSink) async throws -> SnapshotSummary {
        let pipe = BoundedPipe(capacity: 1 << 20)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    while let piece = try await pipe.receive() { try await sink.write(piece) }
                } catch {
                    pipe.fail(error)
                    throw error
                }
            }
            let summary: SnapshotSummary
            do {
                summary = try await source.snapshot(into: pipe)
                pipe.finish()
            } catch {
                pipe.fail(error)
                // The pipeline's own error, if it failed first, says more than "pipe failed".
                while let result = await group.nextResult() {
                    if case .failure(let pipelineError) = result, !(pipelineError is CancellationError) { throw pipelineError }
                }
                throw error
            }
            try await group.waitForAll()
            return summary
        }
    }

    /// Reads the stored object back: the same SHA-256, every chunk authentic, and the source's
    /// own count and digest equal to what it reported while writing. The first attempt takes
    /// the result of the read that followed the upload, where there was one; a retry reads the
    /// stored object from its start.
    func readBack(_ written: Written, source: any BackupSource, store: any ArtifactStore, key: String) async throws {
        let check: ArtifactCheckResult
        if let followed = try await written.following?.takeResult() {
            check = followed
        } else {
            check = try await ArtifactCheck.run(store: store, key: key, keyring: environment.keyring,
                                                expectedStoredBytes: written.storedBytes,
                                                checker: source.makeReadBackChecker(for: written.summary))
        }
        guard check.sha256 == written.sha256 else {
            throw BackupFailure("the stored artifact reads back with another SHA-256 than was written")
        }
        guard check.rawBytes == written.rawBytes else {
            throw BackupFailure("the stored artifact reads back as \(check.rawBytes) bytes, not \(written.rawBytes)")
        }
        if let expected = written.summary.recordCount, check.recordCount != expected {
            throw BackupFailure("the stored artifact holds \(check.recordCount.map(String.init) ?? "no") records, not \(expected)")
        }
        if let expected = written.summary.contentDigest, check.contentDigest != expected {
            throw BackupFailure("the stored artifact's content digest differs from the source's")
        }
    }
}
