import ArgumentParser
import Foundation
import Logging
import PhoenixArtifact
import PhoenixConcurrency
import PhoenixDomain
import PhoenixHTTPClient
import PhoenixSockets
import PhoenixSources

extension ArtifactCommand {
    /// `phoenix-dr artifact restore FILE --to URL | --redis-dir DIR | --redis-address A |
    /// --vault-address URL | --git-remote URL`: a restore with only the keyring and the file,
    /// checked against what the backup recorded.
    struct Restore: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Restore a postgres, redis, vault or git artifact and check it against the backup.",
            discussion: """
                postgres (--to URL): replays the roles, runs pg_restore on the dump, then compares every table's \
                row count, the state hashes and the schema version (the dataset's schema_version_query in --config, \
                or --schema-version-query) with what the backup recorded; a different schema version fails the restore \
                when the dataset's integrity_checks say version_check … block_on_mismatch, and is a warning otherwise. redis (--redis-dir DIR): checks the RDB while writing it as DIR/dump.rdb, runs \
                --start-command, and with --redis-address compares the loaded server's key count with the \
                backup's, less the keys expired since; a Redis Cluster's rdb artifact holds one RDB per master, and \
                --redis-node N restores master N on its host. A logical redis artifact (mode logical) is replayed into the \
                running server at --redis-address (a Redis Cluster: each key to its slot's master) with RESTORE … \
                REPLACE, after the whole artifact has been read and checked once, and the key count compared. \
                vault (--vault-address URL): posts the raft snapshot to the \
                active node (snapshot-force with --force, for a cluster other than the one backed up), the token read \
                from --vault-token-env. git (--git-remote URL): checks the bundle, pushes every ref with --mirror \
                (refs the backup lacks are deleted) and compares the remote's refs with the backup's. Exits 1 \
                naming what differs.
                """)

        @Argument(help: "The .pdr file.")
        var file: String

        @Option(help: "postgres: the target database, postgresql://user:password@host:port/database.")
        var to: String?

        @Option(help: "postgres: create (the database must not exist) or clean (restore over it).")
        var mode: String = PostgresRestorer.Mode.create.rawValue

        @Flag(name: .customLong("no-globals"), help: "postgres: do not replay the roles recorded with the dump.")
        var skipsGlobals = false

        @Option(name: .customLong("schema-version-query"), help: "postgres: the query whose answer must equal the backup's schema version (default: the dataset's schema_version_query in --config).")
        var schemaVersionQuery: String?

        @Option(help: "postgres: the dataset whose settings in --config apply (default: the one the manifest beside the artifact names).")
        var dataset: String?

        @Option(name: .customLong("schema-mismatch"), help: "postgres: block or warn when the schema version differs (default: block if --config's integrity_checks.<dataset> has version_check with block_on_mismatch; else warn, or block for --schema-version-query alone).")
        var schemaMismatch: SchemaVersionCheck.OnMismatch?

        @Option(name: .customLong("redis-dir"), help: "redis: the data directory that gets dump.rdb.")
        var redisDirectory: String?

        @Option(name: .customLong("start-command"), help: "redis: a shell command that starts the server once the file is in place.")
        var startCommand: String?

        @Option(name: .customLong("redis-address"), help: "redis: host:port of the restored server, to check its key count.")
        var redisAddress: String?

        @Option(name: .customLong("redis-password-env"), help: "redis: the environment variable holding the server's password.")
        var redisPasswordVariable: String?

        @Option(name: .customLong("redis-node"), help: "redis: which master of a cluster's rdb backup to restore here: 1, 2, … (by slot order), its address or its node id.")
        var redisNode: String?

        @Option(name: .customLong("vault-address"), help: "vault: the target Vault, https://host:8200.")
        var vaultAddress: String?

        @Option(name: .customLong("vault-token-env"), help: "vault: the environment variable holding a token allowed to restore.")
        var vaultTokenVariable = "VAULT_TOKEN"

        @Flag(help: "vault: use snapshot-force, to restore a snapshot of another cluster (a DR cluster).")
        var force = false

        @Option(name: .customLong("git-remote"), help: "git: the repository to push every ref of the bundle to (--mirror).")
        var gitRemote: String?

        @Option(name: .customLong("ssh-key"), help: "git: the SSH private key for an SSH remote.")
        var sshKey: String?

        @Option(name: .customLong("known-hosts"), help: "git: the known_hosts file for an SSH remote (host keys are checked strictly).")
        var knownHosts: String?

        @Option(name: .customLong("git-token-env"), help: "git: the environment variable holding a token for an HTTPS remote.")
        var gitTokenVariable: String?

        @OptionGroup var keys: KeyringOptions

        func run() async throws {
            ResourceLimits.tuneMallocForStreaming()
            ResourceLimits.ignoreBrokenPipe()
            let plaintext = try ArtifactPlaintext(path: file, keyring: try keys.load())
            let logger = Logger(label: "phoenix-dr.restore", factory: { _ in SwiftLogNoOpLogHandler() })
            if redisDirectory != nil || (redisAddress != nil && to == nil) {
                try await restoreRedis(plaintext, keyring: try keys.load(), logger: logger)
            } else if let to {
                try await restorePostgres(plaintext, to: to, logger: logger)
            } else if let vaultAddress {
                try await restoreVault(plaintext, to: vaultAddress, logger: logger)
            } else if let gitRemote {
                try await restoreGit(plaintext, to: gitRemote, logger: logger)
            } else {
                throw ValidationError("say where to restore: --to URL (postgres), --redis-dir DIR (redis rdb), --redis-address A (redis logical), --vault-address URL (vault) or --git-remote URL (git)")
            }
        }

        private func restoreVault(_ plaintext: ArtifactPlaintext, to address: String, logger: Logger) async throws {
            guard let token = ProcessInfo.processInfo.environment[vaultTokenVariable], !token.isEmpty else {
                throw ValidationError("--vault-token-env \(vaultTokenVariable) is not set")
            }
            try HTTPClient.globalInitialize()
            let http = try HTTPClient(logger: logger)
            do {
                let restorer = VaultRestorer(settings: .init(endpoint: try VaultEndpoint(address: address, token: token), force: force),
                                             http: http, logger: logger)
                let report = try await restorer.restore { try await plaintext.next() }
                await http.shutdown()
                print("restored: \(report.bytes) bytes of raft snapshot into \(address)\(force ? " (snapshot-force)" : "")")
                print("snapshot sha256: \(report.contentDigest)")
            } catch {
                await http.shutdown()
                throw error
            }
        }

        private func restoreGit(_ plaintext: ArtifactPlaintext, to url: String, logger: Logger) async throws {
            var token: String?
            if let variable = gitTokenVariable {
                guard let value = ProcessInfo.processInfo.environment[variable] else { throw ValidationError("--git-token-env \(variable) is not set") }
                token = value
            }
            let target = GitRemote(url: url, sshKeyFile: sshKey, knownHostsFile: knownHosts, token: token)
            let report = try await GitRestorer(settings: .init(target: target), logger: logger).restore { try await plaintext.next() }
            print("restored: \(report.refCount) refs pushed to \(target.shownURL), as recorded")
            print("refs digest: \(report.contentDigest)")
        }
    }
}

/// An artifact's authenticated plaintext, pulled a piece at a time (at most 128 KiB).
///
/// Read, authenticated and decompressed on a thread of its own while the restore feeds the
/// previous pieces to its tool: the two overlap on two cores. At most 4 MiB wait between them,
/// however far a chunk decompresses (a megabyte of zstd can hold gigabytes of zeros).
final class ArtifactPlaintext: Sendable {
    private let pipe = BoundedPipe(capacity: 4 << 20)

    init(path: String, keyring: Keyring) throws {
        guard let file = FileHandle(forReadingAtPath: path) else { throw ValidationError("cannot read \(path)") }
        Thread.detachNewThread { [pipe] in
            defer { try? file.close() }
            var reader = ArtifactReader(keyring: keyring, expectedStoredByteCount: nil)
            do {
                while let data = try file.read(upToCount: 1 << 20), !data.isEmpty {
                    try reader.consume(data) { try pipe.writeBlocking(Array($0)) }
                }
                try reader.finish { try pipe.writeBlocking(Array($0)) }
                pipe.finish()
            } catch {
                pipe.fail(error)
            }
        }
    }

    deinit {
        // A restore that stopped early: the decoding thread stops at its next piece.
        pipe.fail(CancellationError())
    }

    /// The next plaintext; nil after the last.
    func next() async throws -> [UInt8]? {
        try await pipe.receive()
    }
}
