import Foundation
import Logging
import PhoenixDomain

/// The `git` source (seed: `backup.git.repositories[]`): one repository as a bundle of all its
/// refs, taken from a mirror this host keeps.
///
/// The first backup clones the mirror (`git clone --mirror`, into a temporary name renamed
/// once whole); later ones bring it up to date (`git remote update --prune`), so a ref deleted
/// upstream is gone from the next bundle too. `git bundle create - --all` streams into the
/// pipeline; the bundle's header gives the refs: the record count, and a digest over them.
public struct GitSource: BackupSource {
    public struct Settings: Sendable, Equatable {
        /// The repository's name in `backup.git.repositories` (for messages).
        public var name: String
        public var remote: GitRemote
        /// The seed's `branch`: every ref is backed up, and a backup without this branch warns.
        public var branch: String?
        /// Where the mirror lives (`<data directory>/git-mirrors/<name>.git`).
        public var mirrorPath: String
        /// Where a verify writes its scratch bundle; nil: the system's temporary folder.
        public var scratchDirectory: String?
        public var gitExecutable: String

        public init(name: String, remote: GitRemote, branch: String? = nil, mirrorPath: String, scratchDirectory: String? = nil,
                    gitExecutable: String = "git") {
            self.name = name
            self.remote = remote
            self.branch = branch
            self.mirrorPath = mirrorPath
            self.scratchDirectory = scratchDirectory
            self.gitExecutable = gitExecutable
        }
    }

    public let settings: Settings
    let now: @Sendable () -> Date
    let logger: Logger

    public init(settings: Settings, now: @escaping @Sendable () -> Date, logger: Logger) {
        self.settings = settings
        self.now = now
        self.logger = logger
    }

    public var kind: String { "git" }

    /// A pack is zlib-compressed already.
    public var isCompressible: Bool { false }

    var git: GitTool { GitTool(executable: settings.gitExecutable, remote: settings.remote) }

    public func snapshot(into sink: any SnapshotSink) async throws -> SnapshotSummary {
        guard !settings.remote.url.hasPrefix("-") else { throw GitError("repository \(settings.name): the URL may not start with \"-\"") }
        do {
            try await updateMirror()
        } catch let error as GitError {
            throw GitError("repository \(settings.name) (\(settings.remote.shownURL)): \(error.description)")
        }
        let snapshotAt = now()
        let local = GitTool(executable: settings.gitExecutable)
        let mirrored = try await GitRefs.list(in: settings.mirrorPath, git: local)
        guard !mirrored.isEmpty else { throw GitError("repository \(settings.name) has no branches or tags: there is nothing to back up") }
        let bundle = try local.start(["-C", settings.mirrorPath, "bundle", "create", "--quiet", "-", "--all"])
        var header = GitBundleHeader()
        do {
            try await withTaskCancellationHandler {
                while true {
                    let piece = try await bundle.read(maxCount: 1 << 20)
                    if piece.isEmpty { break }
                    _ = try header.consume(piece)
                    try await sink.write(piece)
                }
            } onCancel: {
                bundle.terminate()
            }
        } catch {
            bundle.terminate()
            _ = await bundle.wait()
            throw error
        }
        let status = await bundle.wait()
        guard status == 0 else { throw local.failure(["bundle"], bundle, status: status) }
        guard header.isComplete else { throw GitError("git bundle create ended inside the bundle's header") }
        let refs = header.branchesAndTags
        guard refs == mirrored else { throw GitError("the bundle's refs differ from the mirror's (\(refs.count) against \(mirrored.count))") }
        let version = try? await local.run(["--version"]).trimmingCharacters(in: .whitespacesAndNewlines)
        var warnings: [String] = []
        if let branch = settings.branch, !refs.contains(where: { $0.name == "refs/heads/\(branch)" }) {
            warnings.append("repository \(settings.name) has no branch \(branch) (backup.git.repositories[].branch)")
        }
        logger.debug("git bundle created", metadata: [LogKeys.sourceKind: "git", LogKeys.gitRefs: "\(refs.count)"])
        return SnapshotSummary(snapshotAt: snapshotAt, recordCount: Int64(refs.count), contentDigest: GitBundleHeader.digest(refs),
                               sourceVersion: version, warnings: warnings)
    }

    /// Clones the mirror the first time, fetches with pruning afterwards.
    private func updateMirror() async throws {
        let manager = FileManager.default
        let path = settings.mirrorPath
        if manager.fileExists(atPath: (path as NSString).appendingPathComponent("HEAD")) {
            // The URL may have changed in the configuration since the clone.
            try await git.run(["-C", path, "remote", "set-url", "origin", settings.remote.url])
            try await git.run(["-C", path, "remote", "update", "--prune"])
            return
        }
        let parent = (path as NSString).deletingLastPathComponent
        try manager.createDirectory(atPath: parent, withIntermediateDirectories: true)
        let partial = path + ".partial-\(UUID().uuidString.lowercased())"
        do {
            try await git.run(["clone", "--mirror", "--quiet", "--", settings.remote.url, partial])
            try? manager.removeItem(atPath: path)
            try manager.moveItem(atPath: partial, toPath: path)
        } catch {
            try? manager.removeItem(atPath: partial)
            throw error
        }
    }

    public func makeChecker() -> any SnapshotChecker {
        do {
            return try GitBundleChecker(scratchDirectory: settings.scratchDirectory, git: GitTool(executable: settings.gitExecutable))
        } catch {
            return FailedChecker(error: error)
        }
    }
}

/// A checker that could not be set up: it fails the check with that reason.
final class FailedChecker: SnapshotChecker {
    let error: any Error

    init(error: any Error) {
        self.error = error
    }

    func consume(_ bytes: [UInt8]) throws { throw error }
    func finish() async throws -> (recordCount: Int64?, contentDigest: String?) { throw error }
}
