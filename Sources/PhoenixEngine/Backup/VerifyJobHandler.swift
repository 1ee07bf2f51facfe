import FoundationEssentials
import Logging
import PhoenixDomain

/// Runs `verify` jobs (DESIGN.md §3 Verify): the stored object's SHA-256 and size, every chunk
/// authenticated and decompressed, and the source's own count and digest compared with the
/// backup's. The result is recorded on the backup either way.
public struct VerifyJobHandler: JobHandler {
    let environment: BackupEnvironment

    public init(environment: BackupEnvironment) {
        self.environment = environment
    }

    public func run(_ job: Job, context: JobContext) async throws -> JobOutcome {
        guard let raw = job.parameters["backup_id"] else { throw BackupFailure("a verify job needs the parameter backup_id") }
        let id = BackupID(rawValue: raw)
        guard let backup = try await environment.catalog.backup(id) else { throw BackupFailure("no backup \(id) in the catalog") }
        let store = try environment.store(backup.store)
        // The source's own check needs the dataset's source; a dataset removed from the
        // configuration is still verified as an artifact.
        let source = (try? environment.dataset(backup.dataset)).flatMap { try? environment.makeSource($0) }
        do {
            try await context.steps.run(StepPolicy(name: "verify", timeout: environment.readBackStep.timeout, retries: 1)) {
                try await verify(backup, store: store, checker: source?.makeChecker())
            }
        } catch let failure as StepFailure {
            try await environment.catalog.recordVerification(of: id, at: environment.now(), error: failure.description)
            throw failure
        }
        try await environment.catalog.recordVerification(of: id, at: environment.now(), error: nil)
        context.logger.info("backup verified", metadata: ["backup.id": "\(id)"])
        return .succeeded
    }

    private func verify(_ backup: BackupRecord, store: any ArtifactStore, checker: (any SnapshotChecker)?) async throws {
        let check = try await ArtifactCheck.run(store: store, key: backup.objectKey, keyring: environment.keyring,
                                                expectedStoredBytes: Int(backup.storedBytes), checker: checker)
        guard check.sha256 == backup.sha256 else { throw BackupFailure("the stored object's SHA-256 differs from the manifest's") }
        guard Int64(check.rawBytes) == backup.rawBytes else {
            throw BackupFailure("the artifact holds \(check.rawBytes) bytes, the manifest says \(backup.rawBytes)")
        }
        if let expected = backup.recordCount, let found = check.recordCount, found != expected {
            throw BackupFailure("the artifact holds \(found) records, the manifest says \(expected)")
        }
        if let expected = backup.contentDigest, let found = check.contentDigest, found != expected {
            throw BackupFailure("the artifact's content digest differs from the manifest's")
        }
    }
}
