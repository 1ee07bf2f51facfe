import Foundation
import PhoenixCrypto
import PhoenixTesting
import Testing

/// `phoenix-dr token create --role R` through the binary: the token it prints, with the hash it
/// prints put in a configuration, opens the routes of its role and no others.
@Suite struct TokenBinaryTests {
    struct Made {
        let token: String
        let sha256: String
        /// The `- name: ... sha256: ...` entry it printed, as printed.
        let entry: String
    }

    static func create(role: String, name: String) async throws -> Made {
        let run = try await ProcessRunner.run(BinaryTests.binary.path, ["token", "create", "--role", role, "--name", name])
        #expect(run.status == 0, "\(run.stderr)")
        let token = try #require(run.stdout.firstMatch(of: /token: (pdr_[0-9A-Za-z_-]+)\n/).map { String($0.1) }, "\(run.stdout)")
        let sha256 = try #require(run.stdout.firstMatch(of: /sha256: ([0-9a-f]{64})\n/).map { String($0.1) }, "\(run.stdout)")
        let entry = try #require(run.stdout.range(of: "    - name:").map { String(run.stdout[$0.lowerBound...]) }, "\(run.stdout)")
        return Made(token: token, sha256: sha256, entry: entry)
    }

    @Test func aCreatedTokenOpensTheRoutesOfItsRoleAndNoOthers() async throws {
        let viewer = try await Self.create(role: "viewer", name: "dash")
        let operatorToken = try await Self.create(role: "operator", name: "ci")
        #expect(SHA256.hex(Array(operatorToken.token.utf8)) == operatorToken.sha256, "the printed hash is the token's SHA-256")
        #expect(operatorToken.entry.contains("role: operator") && viewer.entry.contains("role: viewer"))
        #expect(viewer.token != operatorToken.token)

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("t_\(UUID().uuidString.lowercased())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("phoenix-dr.yaml")
        // The entries pasted in as printed.
        try "server:\n  data_directory: \(directory.path)/data\nauth:\n  tokens:\n\(viewer.entry)\(operatorToken.entry)"
            .write(to: file, atomically: true, encoding: .utf8)
        let server = try BinaryTests.startServe(config: file)
        defer { if server.isRunning { server.kill(SIGKILL) } }
        let port = try #require(await BinaryTests.listeningPort(of: server))
        let base = "http://127.0.0.1:\(port)"

        #expect(try await Self.status("GET", base + "/v1/jobs", token: viewer.token) == "200")
        #expect(try await Self.status("GET", base + "/v1/jobs", token: operatorToken.token) == "200")
        #expect(try await Self.status("POST", base + "/v1/catalog/sync", token: operatorToken.token) == "202")
        // Below the role: 403 as problem+json; unknown: 401.
        let viewerPost = try await Self.curl("POST", base + "/v1/catalog/sync", token: viewer.token)
        #expect(viewerPost.hasPrefix("403 application/problem+json"), "\(viewerPost)")
        #expect(viewerPost.contains("needs the operator role"))
        let operatorDelete = try await Self.curl("DELETE", base + "/v1/backups/x", token: operatorToken.token)
        #expect(operatorDelete.hasPrefix("403 application/problem+json"), "\(operatorDelete)")
        #expect(try await Self.status("GET", base + "/v1/jobs", token: viewer.token + "x") == "401")
        #expect(try await Self.status("GET", base + "/v1/jobs", token: operatorToken.sha256) == "401", "the hash is no token")
        server.kill(SIGTERM)
        #expect(await eventually(timeout: .seconds(30)) { !server.isRunning })
    }

    @Test func anUnknownRoleIsRefusedAndPrintsNoToken() async throws {
        let run = try await ProcessRunner.run(BinaryTests.binary.path, ["token", "create", "--role", "root"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("--role must be viewer, operator or admin"), "\(run.stderr)")
        #expect(!run.stdout.contains("pdr_"))
    }

    static func status(_ method: String, _ url: String, token: String) async throws -> String {
        String(try await curl(method, url, token: token).prefix(3))
    }

    /// "STATUS CONTENT-TYPE" and the body.
    static func curl(_ method: String, _ url: String, token: String) async throws -> String {
        try await ProcessRunner.run("curl", ["-s", "--max-time", "10", "-X", method, "-H", "Authorization: Bearer \(token)",
                                             "-w", "\n%{http_code} %{content_type}", url]).stdout
            .split(separator: "\n").reversed().joined(separator: "\n")
    }
}
