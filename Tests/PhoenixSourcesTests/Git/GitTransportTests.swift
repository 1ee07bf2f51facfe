import Foundation
import HTTPTypes
import PhoenixDomain
import PhoenixHTTP
@testable import PhoenixSources
import PhoenixTesting
import Synchronization
import Testing

/// Credentials: an SSH key with a strictly checked known_hosts file against an sshd of the
/// test's own, and an HTTPS-style token that travels only as an `http.extraHeader`.
@Suite struct GitTransportTests {
    static func withSSH(_ body: (SSHServer, TemporaryDirectory) async throws -> Void) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let keys = try directory.folder("ssh")
        let server = try await SSHServer.start(in: keys)
        do {
            try await body(server, directory)
            await server.stop()
        } catch {
            await server.stop()
            throw error
        }
    }

    @Test func backupAndRestoreOverSSHWithAKeyAndKnownHosts() async throws {
        try await Self.withSSH { ssh, directory in
            let served = try directory.folder("served")
            try await GitFixture.makeRepository(served + "/source.git", scratch: directory.path)
            try await GitFixture.git(["init", "--quiet", "--bare", served + "/target.git"])
            let sink = MemorySink()
            let summary = try await GitSourceTests.source(ssh.remote(served + "/source.git"), directory).snapshot(into: sink)
            #expect(summary.recordCount == 6)
            _ = try await GitSourceTests.restore(await sink.bytes, to: ssh.remote(served + "/target.git"), directory)
            #expect(try await GitFixture.refs(served + "/target.git") == (try await GitFixture.refs(served + "/source.git")))
            #expect(try await GitFixture.objects(served + "/target.git") == (try await GitFixture.objects(served + "/source.git")))
        }
    }

    @Test func anSSHHostKeyNotInKnownHostsIsRefused() async throws {
        try await Self.withSSH { ssh, directory in
            let served = try directory.folder("served")
            try await GitFixture.makeRepository(served + "/source.git", scratch: directory.path)
            let otherKnownHosts = directory.path + "/other_known_hosts"
            try Data("[127.0.0.1]:\(ssh.port) ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n".utf8)
                .write(to: URL(fileURLWithPath: otherKnownHosts))
            let remote = ssh.remote(served + "/source.git", knownHosts: otherKnownHosts)
            let error = await #expect(throws: GitError.self) { try await GitSourceTests.source(remote, directory).snapshot(into: MemorySink()) }
            #expect(error?.description.contains("Host key verification failed") == true, "\(error?.description ?? "")")
        }
    }

    @Test func anHTTPSTokenTravelsAsAHeaderAndNeverInArgumentsOrErrors() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let seen = Mutex<[String]>([])
        var router = Router()
        router.get("/repo.git/info/refs") { request, _ in
            seen.withLock { $0.append(request.headerFields[.authorization] ?? "none") }
            return Response(status: .forbidden, contentType: "text/plain", body: "forbidden")
        }
        let server = try LiveServer(responder: router)
        let token = "ghp_\(UUID().uuidString.replacingOccurrences(of: "-", with: ""))"
        let remote = GitRemote(url: "\(server.baseURL)/repo.git", token: token)
        #expect(!GitTool(remote: remote).environment.values.contains { $0.contains(token) }, "only the header's base64 form is passed")
        let error = await #expect(throws: GitError.self) { try await GitSourceTests.source(remote, directory).snapshot(into: MemorySink()) }
        await server.stop()
        let expected = "Basic " + Data("x-access-token:\(token)".utf8).base64EncodedString()
        #expect(seen.withLock { $0 }.first == expected)
        let text = error?.description ?? ""
        #expect(text.contains("403") || text.contains("forbidden") || text.contains("exited with status 128"), "\(text)")
        #expect(!text.contains(token))
        #expect(!text.contains(String(expected.dropFirst(6))))
    }

    @Test func aRemoteAndAVaultEndpointNeverPrintTheirSecrets() throws {
        let remote = GitRemote(url: "https://bot:url-password@example.com/a.git", token: "ghp_never_shown")
        let endpoint = try VaultEndpoint(address: "https://vault:8200", token: "hvs.never_shown")
        for text in [String(describing: remote), String(reflecting: remote), String(describing: endpoint), String(reflecting: endpoint)] {
            #expect(!text.contains("never_shown") && !text.contains("url-password"), "\(text)")
        }
        var dumped = ""
        dump(remote, to: &dumped)
        dump(endpoint, to: &dumped)
        #expect(!dumped.contains("never_shown") && !dumped.contains("url-password"), "\(dumped)")
    }

    @Test func sshCommandQuotesPathsForTheShell() {
        let remote = GitRemote(url: "git@github.com:company/app.git", sshKeyFile: "/keys/it's key", knownHostsFile: "/etc/known hosts")
        #expect(remote.isSSH)
        #expect(remote.environment["GIT_SSH_COMMAND"]
            == #"ssh -o BatchMode=yes -o ConnectTimeout=30 -o ServerAliveInterval=30 -o ServerAliveCountMax=4 -i '/keys/it'\''s key' -o IdentitiesOnly=yes -o 'UserKnownHostsFile=/etc/known hosts' -o StrictHostKeyChecking=yes"#)
        #expect(!GitRemote(url: "https://github.com/company/app.git").isSSH)
        #expect(GitRemote(url: "https://user:pw@example.com/a.git").shownURL == "https://user:***@example.com/a.git")
    }
}
