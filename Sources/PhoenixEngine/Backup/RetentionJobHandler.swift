import FoundationEssentials
import Logging
import PhoenixDomain

/// Runs `retention` jobs: plans a dataset's backups with its rules (pins and the newest verified
/// backup always kept) and deletes artifact, manifest and catalog row of each backup that goes,
/// logging what and why. With the parameter `dry_run=true` it only logs.
public struct RetentionJobHandler: JobHandler {
    let environment: BackupEnvironment

    public init(environment: BackupEnvironment) {
        self.environment = environment
    }

    public func run(_ job: Job, context: JobContext) async throws -> JobOutcome {
        let dataset = try environment.dataset(job.dataset)
        let isDryRun = job.parameters["dry_run"] == "true"
        let backups = try await environment.catalog.allBackups(of: dataset.name)
        let decisions = BackupRetention.plan(backups, dataset: dataset, now: environment.now())
        var deleted = 0
        var failures: [String] = []
        for (backup, decision) in zip(backups, decisions) where !decision.keep {
            let metadata: Logger.Metadata = ["backup.id": "\(backup.id)", "retention.reasons": "\(decision.reasons.joined(separator: ", "))"]
            guard !isDryRun else {
                context.logger.info("retention would delete backup", metadata: metadata)
                continue
            }
            do {
                let store = try environment.store(backup.store)
                try await environment.catalog.deleteBackup(backup, from: store)
                deleted += 1
                context.logger.info("retention deleted backup", metadata: metadata)
            } catch {
                failures.append("\(backup.id): \(error)")
            }
        }
        try await context.catalog.updateProgress(of: job.id, bytesDone: 0, bytesTotal: nil, items: Int64(deleted))
        guard failures.isEmpty else {
            return .partiallyFailed("\(failures.count) backups could not be deleted: \(failures.prefix(3).joined(separator: "; "))")
        }
        return .succeeded
    }
}
