import Foundation
import Logging
import PhoenixDomain
import PhoenixHTTPClient

/// The `vault` source (seed: `backup.vault`): a raft snapshot of the active node, streamed from
/// `GET /v1/sys/storage/raft/snapshot` into the pipeline as it arrives.
///
/// `/v1/sys/health` is asked first, so a sealed, uninitialised or standby node fails with that
/// reason instead of an opaque error. The token goes in `X-Vault-Token` and nowhere else.
///
/// ```swift
/// let endpoint = try VaultEndpoint(address: "https://vault:8200", token: token)
/// let source = VaultSource(settings: .init(endpoint: endpoint), http: client, now: { Date() }, logger: logger)
/// ```
public struct VaultSource: BackupSource {
    public struct Settings: Sendable {
        public var endpoint: VaultEndpoint
        /// `backup.vault.backup_path`: where the newest snapshot is also kept on this host.
        public var stagingDirectory: String?

        public init(endpoint: VaultEndpoint, stagingDirectory: String? = nil) {
            self.endpoint = endpoint
            self.stagingDirectory = stagingDirectory
        }
    }

    public let settings: Settings
    let http: HTTPClient
    let now: @Sendable () -> Date
    let logger: Logger

    public init(settings: Settings, http: HTTPClient, now: @escaping @Sendable () -> Date, logger: Logger) {
        self.settings = settings
        self.http = http
        self.now = now
        self.logger = logger
    }

    public var kind: String { "vault" }

    /// The snapshot is gzip already.
    public var isCompressible: Bool { false }

    public func snapshot(into sink: any SnapshotSink) async throws -> SnapshotSummary {
        let client = VaultClient(endpoint: settings.endpoint, http: http)
        let health = try await client.health()
        try health.requireActive(settings.endpoint)
        var warnings: [String] = []
        var staging: VaultStaging?
        if let directory = settings.stagingDirectory {
            let (opened, warning) = VaultStaging.open(in: directory)
            staging = opened
            if let warning {
                warnings.append(warning)
                logger.warning("vault snapshot not staged", metadata: [LogKeys.sourcePath: "\(directory)"])
            }
        }
        let started = now()
        var stream = VaultSnapshotStream()
        do {
            let bytes = try await client.downloadSnapshot { piece in
                try stream.consume(piece)
                do {
                    try staging?.write(piece)
                } catch {
                    // The staged copy is a convenience; the artifact is the backup of record.
                    staging?.discard()
                    staging = nil
                    warnings.append("the snapshot could not be staged in \(settings.stagingDirectory ?? ""): \(error.localizedDescription)")
                }
                try await sink.write(piece)
            }
            let digest = try stream.finish()
            do {
                try staging?.commit()
            } catch {
                warnings.append("\(error)")
            }
            logger.debug("vault snapshot taken", metadata: [LogKeys.snapshotBytes: "\(bytes)", LogKeys.sourceKind: "vault"])
            return SnapshotSummary(snapshotAt: started, recordCount: nil, contentDigest: digest,
                                   sourceVersion: health.shownVersion, warnings: warnings)
        } catch {
            staging?.discard()
            throw error
        }
    }

    public func makeChecker() -> any SnapshotChecker {
        do {
            return try VaultSnapshotChecker()
        } catch {
            return FailedChecker(error: error)
        }
    }
}
