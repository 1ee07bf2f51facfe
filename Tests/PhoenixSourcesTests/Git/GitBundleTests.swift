import Foundation
@testable import PhoenixSources
import PhoenixTesting
import Testing

/// Damaged bundle artifacts: found by the checks, and never pushed to a remote.
@Suite struct GitBundleTests {
    /// A bundle of a fresh repository, and a bare target repository, served by a daemon.
    static func withBundle(_ body: ([UInt8], GitDaemon, TemporaryDirectory) async throws -> Void) async throws {
        try await GitSourceTests.withDaemon { daemon, directory in
            let sink = MemorySink()
            _ = try await GitSourceTests.source(GitRemote(url: daemon.url("source.git")), directory).snapshot(into: sink)
            try await body(await sink.bytes, daemon, directory)
        }
    }

    static func check(_ bytes: [UInt8], _ directory: TemporaryDirectory) async throws {
        let checker = try GitBundleChecker(scratchDirectory: directory.path)
        try checker.consume(bytes)
        _ = try await checker.finish()
    }

    @Test func aCorruptedPackFailsTheCheckAndNothingIsPushed() async throws {
        try await Self.withBundle { bytes, daemon, directory in
            var damaged = bytes
            damaged[damaged.count - 30] ^= 0x01
            await #expect(throws: GitError.self) { try await Self.check(damaged, directory) }
            let error = await #expect(throws: GitError.self) {
                try await GitSourceTests.restore(damaged, to: GitRemote(url: daemon.url("empty.git")), directory)
            }
            #expect(error?.description.contains("git fetch exited") == true, "\(error?.description ?? "")")
            let left = try await GitFixture.refs(directory.path + "/served/empty.git")
            #expect(left.isEmpty)
        }
    }

    @Test func aTruncatedBundleFailsTheCheck() async throws {
        try await Self.withBundle { bytes, _, directory in
            await #expect(throws: GitError.self) { try await Self.check(Array(bytes.prefix(bytes.count - 100)), directory) }
            let inHeader = await #expect(throws: GitError.self) { try await Self.check(Array(bytes.prefix(40)), directory) }
            #expect(inHeader?.description.contains("truncated") == true)
        }
    }

    @Test func aHeaderNamingARefThePackLacksFailsTheCheck() async throws {
        try await Self.withBundle { bytes, _, directory in
            let text = String(decoding: bytes.prefix(200), as: UTF8.self)
            let line = try #require(text.split(separator: "\n").dropFirst().first)
            let forged = Array(("# v2 git bundle\n" + "0123456789abcdef0123456789abcdef01234567 refs/heads/forged\n").utf8)
                + Array(bytes.dropFirst("# v2 git bundle\n".utf8.count))
            #expect(!line.isEmpty)
            await #expect(throws: GitError.self) { try await Self.check(forged, directory) }
        }
    }

    @Test func somethingElseThanABundleIsRefusedAtOnce() throws {
        let checker = try GitBundleChecker()
        let error = #expect(throws: GitError.self) { try checker.consume(Array("PGDMP\u{1}\u{2}\n".utf8)) }
        #expect(error?.description.contains("not a git bundle") == true)
    }

    @Test func anEmptyArtifactIsNotABackup() async throws {
        let checker = try GitBundleChecker()
        let error = await #expect(throws: GitError.self) { _ = try await checker.finish() }
        #expect(error?.description.contains("empty") == true)
    }
}
