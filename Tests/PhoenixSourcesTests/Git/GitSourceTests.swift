import Foundation
import Logging
import PhoenixDomain
@testable import PhoenixSources
import PhoenixTesting
import Testing

/// Bundles of real repositories served by a git daemon of the test's own, restored with
/// `push --mirror` and compared ref by ref and object by object.
@Suite struct GitSourceTests {
    static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// A daemon over `served/` of a fresh folder, with `source.git` filled and `empty.git` bare.
    static func withDaemon(_ body: (GitDaemon, TemporaryDirectory) async throws -> Void) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let served = try directory.folder("served")
        try await GitFixture.makeRepository(served + "/source.git", scratch: directory.path)
        try await GitFixture.git(["init", "--quiet", "--bare", served + "/empty.git"])
        let daemon = try await GitDaemon.start(base: served)
        do {
            try await body(daemon, directory)
            await daemon.stop()
        } catch {
            await daemon.stop()
            throw error
        }
    }

    static func source(_ remote: GitRemote, _ directory: TemporaryDirectory) -> GitSource {
        GitSource(settings: .init(name: "app", remote: remote, mirrorPath: directory.path + "/mirrors/app.git", scratchDirectory: directory.path),
                  now: { Date() }, logger: logger)
    }

    static func restore(_ bytes: [UInt8], to remote: GitRemote, _ directory: TemporaryDirectory) async throws -> GitRestorer.Report {
        var pieces = stride(from: 0, to: bytes.count, by: 4096).map { Array(bytes[$0..<min(bytes.count, $0 + 4096)]) }.makeIterator()
        return try await GitRestorer(settings: .init(target: remote, scratchDirectory: directory.path), logger: logger).restore { pieces.next() }
    }

    @Test func backupThroughGitDaemonRestoresEveryRefAndObjectIntoAnEmptyRemote() async throws {
        try await Self.withDaemon { daemon, directory in
            let served = directory.path + "/served"
            let sink = MemorySink()
            let summary = try await Self.source(GitRemote(url: daemon.url("source.git")), directory).snapshot(into: sink)
            let refs = try await GitFixture.refs(served + "/source.git")
            #expect(summary.recordCount == Int64(refs.split(separator: "\n").count))
            #expect(summary.recordCount == 6, "main, feature, v1, v2, feature-start, refs/notes/commits")
            #expect(summary.sourceVersion?.hasPrefix("git version") == true)
            #expect(summary.warnings.isEmpty)

            let checker = Self.source(GitRemote(url: daemon.url("source.git")), directory).makeChecker()
            for piece in await sink.pieces(of: 10_000) { try checker.consume(piece) }
            let checked = try await checker.finish()
            #expect(checked.recordCount == summary.recordCount)
            #expect(checked.contentDigest == summary.contentDigest)

            let report = try await Self.restore(await sink.bytes, to: GitRemote(url: daemon.url("empty.git")), directory)
            #expect(report.contentDigest == summary.contentDigest)
            #expect(try await GitFixture.refs(served + "/empty.git") == refs)
            #expect(try await GitFixture.objects(served + "/empty.git") == (try await GitFixture.objects(served + "/source.git")))
        }
    }

    @Test func aForcePushedBranchAfterTheBackupIsRestoredToTheBackedUpHash() async throws {
        try await Self.withDaemon { daemon, directory in
            let served = directory.path + "/served/source.git"
            let remote = GitRemote(url: daemon.url("source.git"))
            let sink = MemorySink()
            _ = try await Self.source(remote, directory).snapshot(into: sink)
            let backedUp = try await GitFixture.refs(served)
            let before = try await GitFixture.git(["-C", served, "rev-parse", "refs/heads/main"])

            let rewritten = try await GitFixture.forcePush(daemon.url("source.git"), branch: "main", scratch: directory.path)
            try await GitFixture.git(["-C", served, "tag", "-d", "v1"])
            try await GitFixture.git(["-C", served, "branch", "stray", "refs/heads/feature"])
            #expect(try await GitFixture.git(["-C", served, "rev-parse", "refs/heads/main"]) == rewritten)

            _ = try await Self.restore(await sink.bytes, to: remote, directory)
            #expect(try await GitFixture.git(["-C", served, "rev-parse", "refs/heads/main"]) == before)
            #expect(try await GitFixture.refs(served) == backedUp, "v1 is back and the stray branch is gone")
        }
    }

    @Test func theNextBackupFollowsUpstreamThroughTheMirrorWithPruning() async throws {
        try await Self.withDaemon { daemon, directory in
            let served = directory.path + "/served/source.git"
            let source = Self.source(GitRemote(url: daemon.url("source.git")), directory)
            let first = try await source.snapshot(into: MemorySink())
            try await GitFixture.git(["-C", served, "branch", "-D", "feature"])
            let second = try await source.snapshot(into: MemorySink())
            #expect(second.recordCount == (first.recordCount ?? 0) - 1)
            #expect(second.contentDigest != first.contentDigest)
            let mirrored = try await GitFixture.refs(directory.path + "/mirrors/app.git")
            #expect(!mirrored.contains("refs/heads/feature"))
        }
    }

    @Test func aConfiguredBranchMissingFromTheRepositoryIsAWarning() async throws {
        try await Self.withDaemon { daemon, directory in
            let source = GitSource(settings: .init(name: "app", remote: GitRemote(url: daemon.url("source.git")), branch: "release",
                                                   mirrorPath: directory.path + "/mirrors/app.git"), now: { Date() }, logger: Self.logger)
            let summary = try await source.snapshot(into: MemorySink())
            #expect(summary.warnings == ["repository app has no branch release (backup.git.repositories[].branch)"])
        }
    }

    @Test func anEmptyRepositoryIsAClearError() async throws {
        try await Self.withDaemon { daemon, directory in
            let error = await #expect(throws: GitError.self) {
                try await Self.source(GitRemote(url: daemon.url("empty.git")), directory).snapshot(into: MemorySink())
            }
            #expect(error?.description.contains("nothing to back up") == true)
        }
    }

    @Test func anUnreachableRepositoryNamesItAndLeavesNoPartialMirror() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = "git://127.0.0.1:\(LoopbackPort.free())/missing.git"
        let error = await #expect(throws: GitError.self) { try await Self.source(GitRemote(url: url), directory).snapshot(into: MemorySink()) }
        #expect(error?.description.contains("repository app (\(url))") == true, "\(error?.description ?? "")")
        #expect(error?.description.contains("git clone exited with status 128") == true)
        #expect((try? FileManager.default.contentsOfDirectory(atPath: directory.path + "/mirrors")) == [])
    }
}
