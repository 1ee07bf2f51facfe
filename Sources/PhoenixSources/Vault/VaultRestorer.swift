import Logging
import PhoenixConcurrency
import PhoenixHTTPClient

/// Restores a `vault` artifact into a running Vault: `POST /v1/sys/storage/raft/snapshot`, or
/// `snapshot-force` when the target is another cluster (a DR cluster with its own keys), which
/// Vault refuses to restore into otherwise.
///
/// The node must be active and unsealed. The snapshot streams from the artifact into the request
/// body through a bounded pipe; the first bytes are checked to be a raft snapshot before the
/// request starts, and an artifact that fails its authentication midway aborts the request,
/// so Vault never receives a partial snapshot as a whole one.
public struct VaultRestorer: Sendable {
    public struct Settings: Sendable {
        public var endpoint: VaultEndpoint
        /// `snapshot-force`: restore a snapshot taken by another cluster.
        public var force: Bool
        /// How long sending the snapshot and Vault applying it may take.
        public var applyTimeout: Duration

        public init(endpoint: VaultEndpoint, force: Bool = false, applyTimeout: Duration = .seconds(3600)) {
            self.endpoint = endpoint
            self.force = force
            self.applyTimeout = applyTimeout
        }
    }

    public struct Report: Sendable {
        /// The snapshot bytes Vault accepted.
        public var bytes: Int64
        /// The SHA-256 of those bytes: the backup's content digest.
        public var contentDigest: String
        /// The target's version, as its health endpoint tells it.
        public var targetVersion: String?
    }

    public let settings: Settings
    let http: HTTPClient
    let logger: Logger

    public init(settings: Settings, http: HTTPClient, logger: Logger) {
        self.settings = settings
        self.http = http
        self.logger = logger
    }

    /// Sends the snapshot `next` yields (nil at its end).
    /// - Throws: `VaultError` naming what Vault said (a snapshot from another cluster without
    ///   `force`, a sealed node, a refused token), or what `next` threw.
    public func restore(next: () async throws -> [UInt8]?) async throws -> Report {
        let client = VaultClient(endpoint: settings.endpoint, http: http)
        let health = try await client.health()
        try health.requireActive(settings.endpoint)
        var stream = VaultSnapshotStream()
        guard let first = try await next() else { throw VaultError(.unexpectedAnswer, "the Vault snapshot is empty") }
        try stream.consume(first)
        let pipe = BoundedPipe(capacity: 4 << 20)
        var digest = ""
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    try await client.uploadSnapshot(force: settings.force, applyTimeout: settings.applyTimeout) { writer in
                        while let piece = try await pipe.receive() { try await writer.write(piece) }
                    }
                } catch {
                    pipe.fail(error)
                    throw error
                }
            }
            do {
                try await pipe.write(first)
                while let piece = try await next() {
                    try stream.consume(piece)
                    try await pipe.write(piece)
                }
                digest = try stream.finish()
                pipe.finish()
            } catch {
                pipe.fail(error)
                // Vault's own answer, if the upload failed first, says more than "pipe failed".
                while let result = await group.nextResult() {
                    if case .failure(let uploadError) = result, !(uploadError is CancellationError) { throw uploadError }
                }
                throw error
            }
            try await group.waitForAll()
        }
        logger.info("vault snapshot restored", metadata: [LogKeys.snapshotBytes: "\(stream.byteCount)", LogKeys.vaultForce: "\(settings.force)"])
        return Report(bytes: stream.byteCount, contentDigest: digest, targetVersion: health.shownVersion)
    }
}
