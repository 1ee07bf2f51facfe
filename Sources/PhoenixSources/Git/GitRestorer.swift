import Logging

/// Restores a `git` artifact into a remote: the bundle goes through every check of
/// `GitBundleChecker` into a scratch repository, which is pushed with `--mirror` (every ref
/// created, moved, or deleted to match the bundle, force-pushed branches included), and then
/// the remote's refs (`ls-remote`) must be exactly the bundle's.
///
/// The target should be empty or one that may be overwritten: `--mirror` deletes refs the
/// backup does not have.
public struct GitRestorer: Sendable {
    public struct Settings: Sendable {
        public var target: GitRemote
        public var scratchDirectory: String?
        public var gitExecutable: String

        public init(target: GitRemote, scratchDirectory: String? = nil, gitExecutable: String = "git") {
            self.target = target
            self.scratchDirectory = scratchDirectory
            self.gitExecutable = gitExecutable
        }
    }

    public struct Report: Sendable {
        /// The refs the remote now has, equal to the bundle's.
        public var refCount: Int
        /// `GitBundleHeader.digest` of those refs: the backup's content digest.
        public var contentDigest: String
    }

    public let settings: Settings
    let logger: Logger

    public init(settings: Settings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    /// Pushes the bundle `next` yields (nil at its end) to the target.
    /// - Throws: `GitError` for a damaged bundle, a refused push, or a remote whose refs differ
    ///   afterwards; nothing is pushed unless the whole bundle checked.
    public func restore(next: () async throws -> [UInt8]?) async throws -> Report {
        guard !settings.target.url.hasPrefix("-") else { throw GitError("the target URL may not start with \"-\"") }
        let checker = try GitBundleChecker(scratchDirectory: settings.scratchDirectory, git: GitTool(executable: settings.gitExecutable))
        while let piece = try await next() { try checker.consume(piece) }
        let refs = try await checker.verifiedRefs()
        let remote = GitTool(executable: settings.gitExecutable, remote: settings.target)
        do {
            try await remote.run(["-C", checker.repositoryPath, "push", "--mirror", "--quiet", "--", settings.target.url])
        } catch let error as GitError {
            throw GitError("pushing to \(settings.target.shownURL) failed: \(error.description)")
        }
        let pushed = try await GitRefs.remote(settings.target.url, git: remote)
        guard pushed == refs else {
            let missing = Set(refs.map(\.name)).subtracting(pushed.filter { refs.contains($0) }.map(\.name)).sorted()
            throw GitError("after the push, \(settings.target.shownURL) has refs that differ from the backup's: \(missing.prefix(10).joined(separator: ", "))")
        }
        logger.info("git bundle restored", metadata: [LogKeys.gitRefs: "\(refs.count)"])
        return Report(refCount: refs.count, contentDigest: GitBundleHeader.digest(refs))
    }
}
