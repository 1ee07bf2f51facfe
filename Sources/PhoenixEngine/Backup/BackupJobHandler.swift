import FoundationEssentials
import Logging
import PhoenixArtifact
import PhoenixDomain

/// Runs `backup` jobs (DESIGN.md §3 Backup): source → compress → encrypt → hash → store → read
/// back and authenticate every chunk → manifest (the commit point) → catalog → retention.
///
/// Any failure leaves neither manifest nor catalog row, and the objects written so far are
/// removed: a backup either exists whole and verified-readable, or not at all.
public struct BackupJobHandler: JobHandler {
    let environment: BackupEnvironment

    public init(environment: BackupEnvironment) {
        self.environment = environment
    }

    public func run(_ job: Job, context: JobContext) async throws -> JobOutcome {
        let dataset = try environment.dataset(job.dataset)
        let store = try environment.store(dataset.store)
        let source = try environment.makeSource(dataset)
        let key = try artifactKey(for: dataset)
        let started = environment.now()
        let id = BackupID.make(at: started)
        let objectKey = BackupLayout.artifactKey(prefix: dataset.prefix, id: id)
        let manifestKey = BackupLayout.manifestKey(forArtifact: objectKey)
        var log = context.logger
        log[metadataKey: "backup.id"] = "\(id)"

        // A read-back that followed the upload must not outlive a job that fails or is cancelled
        // before its read_back step took the result.
        var following: FollowingReadBack?
        do {
            let written = try await context.steps.run(environment.snapshotStep) {
                try await snapshot(source, to: store, key: objectKey, artifactKey: key, job: job, context: context)
            }
            following = written.following
            try await context.steps.run(environment.readBackStep) {
                try await readBack(written, source: source, store: store, key: objectKey)
            }
            let manifest = ArtifactManifest(
                id: ArtifactID(rawValue: id.rawValue), dataset: dataset.name, tier: dataset.tier.rawValue, sourceKind: source.kind,
                sourceVersion: written.summary.sourceVersion, snapshotTime: written.summary.snapshotAt, startedAt: started,
                finishedAt: environment.now(), rawBytes: written.rawBytes, storedBytes: written.storedBytes,
                storedSHA256: written.sha256, compression: written.compression, keyID: key?.id, chunkSize: written.chunkSize,
                recordCount: written.summary.recordCount, contentDigest: written.summary.contentDigest,
                labels: labels(of: job, warnings: written.summary.warnings))
            try await context.steps.run(StepPolicy(name: "manifest", timeout: .seconds(300), retries: 2)) {
                let upload = try await store.upload(manifestKey)
                try await upload.write(manifest.encode())
                _ = try await upload.complete()
            }
            let record = try BackupLayout.record(manifest, store: store.name, manifestKey: manifestKey, jobID: job.id)
            try await environment.catalog.recordBackup(record)
            for warning in written.summary.warnings { log.warning("backup warning", metadata: ["backup.warning": "\(warning)"]) }
            log.info("backup stored", metadata: ["backup.bytes": "\(written.storedBytes)", "backup.records": "\(written.summary.recordCount ?? -1)"])
        } catch {
            await following?.cancel()
            // Whatever got as far as the store goes: no manifest, no artifact, no row.
            try? await store.delete([manifestKey, objectKey])
            try? await environment.catalog.deleteBackup(id)
            throw error
        }
        // Retention runs as a job of its own, so a failed prune never fails the backup.
        _ = try? await environment.catalog.enqueue(Job(
            kind: .retention, dataset: dataset.name, trigger: "backup \(id)", idempotencyKey: "retention:\(dataset.name):\(id)",
            createdAt: environment.now()))
        return .succeeded
    }

    /// The current key for an encrypted tier, nil for a tier stored without encryption.
    private func artifactKey(for dataset: DatasetSpec) throws -> ArtifactKey? {
        guard dataset.encryptionRequired else { return nil }
        guard let key = environment.keyring.current else {
            throw BackupFailure("dataset \(dataset.name) must be encrypted but the keyring has no key")
        }
        return key
    }

    private func labels(of job: Job, warnings: [String]) -> [String: String] {
        var labels = ["trigger": job.trigger]
        for (name, value) in job.parameters where name.hasPrefix("label.") { labels[String(name.dropFirst(6))] = value }
        if !warnings.isEmpty { labels["warnings"] = "\(warnings.count)" }
        return labels
    }
}
