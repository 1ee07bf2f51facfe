import Foundation
import PhoenixDomain

/// The git source's own check, in a verify job and when a backup is read back: the bundle is
/// written to a scratch file while its header is parsed, then `git bundle verify` checks it and
/// a fetch from it into a scratch repository runs `index-pack`, which checks every object's
/// hash and the pack's checksum, and creates the refs, which must be the header's.
///
/// Count: the refs (branches, tags, others; not HEAD). Digest: `GitBundleHeader.digest`.
final class GitBundleChecker: SnapshotChecker {
    private var header = GitBundleHeader()
    private let file: FileHandle
    let bundlePath: String
    let scratch: String
    private let git: GitTool
    private var byteCount: Int64 = 0

    init(scratchDirectory: String? = nil, git: GitTool = GitTool()) throws {
        let base = scratchDirectory ?? FileManager.default.temporaryDirectory.path
        scratch = (base as NSString).appendingPathComponent("phoenix-git-\(UUID().uuidString.lowercased())")
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        bundlePath = (scratch as NSString).appendingPathComponent("snapshot.bundle")
        guard FileManager.default.createFile(atPath: bundlePath, contents: nil, attributes: [.posixPermissions: 0o600]),
              let file = FileHandle(forWritingAtPath: bundlePath) else {
            throw GitError("cannot write a scratch file in \(base)")
        }
        self.file = file
        self.git = git
    }

    deinit {
        try? file.close()
        try? FileManager.default.removeItem(atPath: scratch)
    }

    func consume(_ bytes: [UInt8]) throws {
        _ = try header.consume(bytes)
        byteCount += Int64(bytes.count)
        try file.write(contentsOf: bytes)
    }

    func finish() async throws -> (recordCount: Int64?, contentDigest: String?) {
        let refs = try await verifiedRefs()
        return (Int64(refs.count), GitBundleHeader.digest(refs))
    }

    /// Runs the checks and returns the refs; the scratch repository then holds them all.
    func verifiedRefs() async throws -> [GitBundleHeader.Ref] {
        try file.close()
        guard byteCount > 0 else { throw GitError("the git bundle is empty") }
        guard header.isComplete else { throw GitError("the git bundle ends inside its header (truncated)") }
        guard header.prerequisites.isEmpty else {
            throw GitError("the bundle needs \(header.prerequisites.count) commits it does not hold: not a full backup")
        }
        let refs = header.branchesAndTags
        guard !refs.isEmpty else { throw GitError("the git bundle holds no refs") }
        try await git.run(["init", "--quiet", "--bare", repositoryPath])
        try await git.run(["-C", repositoryPath, "bundle", "verify", "--quiet", bundlePath])
        try await git.run(["-C", repositoryPath, "fetch", "--quiet", "--no-write-fetch-head", bundlePath, "+refs/*:refs/*"])
        let fetched = try await GitRefs.list(in: repositoryPath, git: git)
        guard fetched == refs else {
            throw GitError("the bundle's pack does not hold the refs its header lists (\(fetched.count) of \(refs.count) refs)")
        }
        return refs
    }

    /// A bare repository in the scratch folder, filled from the bundle by `verifiedRefs`.
    var repositoryPath: String { (scratch as NSString).appendingPathComponent("check.git") }
}
