import FoundationEssentials
import Logging
import PhoenixArtifact
import PhoenixDomain

/// Runs `catalog_sync` jobs (DESIGN.md §1.2, Velero's backup sync): rebuilds the backup index
/// from the manifests in every store, so a DR instance with an empty catalog knows every backup.
///
/// A manifest counts only when its artifact exists with the size the manifest gives. Artifacts
/// without a valid manifest are reported (they are left by crashes, to be collected), and
/// manifests that cannot be read make the job `partially_failed`.
public struct CatalogSyncJobHandler: JobHandler {
    let environment: BackupEnvironment

    public init(environment: BackupEnvironment) {
        self.environment = environment
    }

    public func run(_ job: Job, context: JobContext) async throws -> JobOutcome {
        var synced = 0
        var problems: [String] = []
        for (name, store) in environment.stores.sorted(by: { $0.key < $1.key }) {
            // Retired objects wait there for the store's expiry; they are no longer backups.
            let objects = try await store.list(prefix: "").filter { !$0.key.hasPrefix(RetiredObjects.prefix) }
            let sizes = Dictionary(objects.map { ($0.key, $0.size) }, uniquingKeysWith: { first, _ in first })
            var described = Set<String>()
            for object in objects where object.key.hasSuffix(BackupLayout.manifestSuffix) {
                try Task.checkCancellation()
                do {
                    let record = try await read(object, in: store, sizes: sizes)
                    try await environment.catalog.recordBackup(record)
                    described.insert(record.objectKey)
                    synced += 1
                } catch {
                    problems.append("\(name):\(object.key): \(error)")
                }
            }
            for object in objects where object.key.hasSuffix(BackupLayout.artifactSuffix) && !described.contains(object.key) {
                context.logger.warning("artifact without a valid manifest", metadata: ["store.name": "\(name)", "object.key": "\(object.key)"])
            }
        }
        try await context.catalog.updateProgress(of: job.id, bytesDone: 0, bytesTotal: nil, items: Int64(synced))
        context.logger.info("catalog synced", metadata: ["backup.count": "\(synced)"])
        guard problems.isEmpty else {
            return .partiallyFailed("\(problems.count) manifests could not be used: \(problems.prefix(3).joined(separator: "; "))")
        }
        return .succeeded
    }

    private func read(_ object: StoredObject, in store: any ArtifactStore, sizes: [String: Int64]) async throws -> BackupRecord {
        guard object.size <= Int64(ArtifactManifest.maximumByteCount) else { throw BackupFailure("manifest larger than 1 MiB") }
        let download = try await store.download(object.key)
        var bytes: [UInt8] = []
        while bytes.count <= ArtifactManifest.maximumByteCount {
            let piece = try await download.read(maxCount: 64 * 1024)
            if piece.isEmpty { break }
            bytes += piece
        }
        await download.close()
        let manifest = try ArtifactManifest.decode(bytes)
        let record = try BackupLayout.record(manifest, store: store.name, manifestKey: object.key, jobID: nil)
        guard let size = sizes[record.objectKey] else { throw BackupFailure("its artifact is missing") }
        guard size == record.storedBytes else { throw BackupFailure("its artifact has \(size) bytes, the manifest says \(record.storedBytes)") }
        return record
    }
}
