import Foundation
@testable import PhoenixSources
import PhoenixTesting

/// Repositories for the git tests: bare repositories in a temporary folder, filled through a
/// work tree with branches, lightweight and annotated tags and a note, and the facts to compare
/// (every ref, every object).
enum GitFixture {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs git and returns its trimmed stdout; throws with its stderr on failure.
    @discardableResult
    static func git(_ arguments: [String]) async throws -> String {
        let result = try await ProcessRunner.run("git", ["-c", "user.name=Phoenix Test", "-c", "user.email=test@phoenix.invalid",
                                                         "-c", "init.defaultBranch=main", "-c", "protocol.file.allow=always"] + arguments)
        guard result.status == 0 else { throw Failure(description: "git \(arguments.joined(separator: " ")): \(result.stderr)") }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A bare repository at `path` with two branches, three tags (one annotated) and a note.
    static func makeRepository(_ path: String, scratch: String) async throws {
        try await git(["init", "--quiet", "--bare", path])
        let work = scratch + "/work-\(UUID().uuidString.prefix(8))"
        try await git(["init", "--quiet", work])
        for index in 1...3 {
            try Data("line \(index)\n".utf8).write(to: URL(fileURLWithPath: "\(work)/file\(index).txt"))
            try await git(["-C", work, "add", "."])
            try await git(["-C", work, "commit", "--quiet", "-m", "commit \(index)"])
        }
        try await git(["-C", work, "tag", "v1"])
        try await git(["-C", work, "tag", "-a", "v2", "-m", "release two"])
        try await git(["-C", work, "checkout", "--quiet", "-b", "feature", "HEAD~1"])
        try Data("feature\n".utf8).write(to: URL(fileURLWithPath: "\(work)/feature.txt"))
        try await git(["-C", work, "add", "."])
        try await git(["-C", work, "commit", "--quiet", "-m", "feature work"])
        try await git(["-C", work, "tag", "feature-start", "HEAD~1"])
        try await git(["-C", work, "notes", "add", "-m", "reviewed", "HEAD"])
        try await git(["-C", work, "push", "--quiet", "--mirror", path])
        try? FileManager.default.removeItem(atPath: work)
    }

    /// Every ref of a local repository, `id name` lines, sorted.
    static func refs(_ path: String) async throws -> String {
        try await git(["-C", path, "for-each-ref", "--format=%(objectname) %(refname)"])
    }

    /// Every object id of a local repository, sorted.
    static func objects(_ path: String) async throws -> [String] {
        try await git(["-C", path, "cat-file", "--batch-all-objects", "--batch-check=%(objectname)"]).split(separator: "\n").map(String.init).sorted()
    }

    /// A commit on `branch` in a work clone of `remote`, force-pushed over the branch's history.
    static func forcePush(_ remote: String, branch: String, scratch: String) async throws -> String {
        let work = scratch + "/force-\(UUID().uuidString.prefix(8))"
        try await git(["clone", "--quiet", "--branch", branch, remote, work])
        try await git(["-C", work, "reset", "--quiet", "--hard", "HEAD~1"])
        try Data("rewritten\n".utf8).write(to: URL(fileURLWithPath: "\(work)/rewritten.txt"))
        try await git(["-C", work, "add", "."])
        try await git(["-C", work, "commit", "--quiet", "-m", "rewritten history"])
        try await git(["-C", work, "push", "--quiet", "--force", "origin", branch])
        let head = try await git(["-C", work, "rev-parse", "HEAD"])
        try? FileManager.default.removeItem(atPath: work)
        return head
    }

    /// Whether something accepts connections on 127.0.0.1:`port`.
    static func isListening(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
