import Foundation
@testable import PhoenixSources
import PhoenixTesting

/// An sshd of a test's own (Debian's openssh-server): a generated host key, a generated client
/// key in `authorized_keys`, all in a temporary folder, on a free loopback port. Git reaches
/// repositories through it as `ssh://root@127.0.0.1:PORT/abs/path.git` with the key and a
/// known_hosts file holding the host key, checked strictly.
struct SSHServer: Sendable {
    let port: Int
    let process: ChildProcess
    let clientKey: String
    let knownHosts: String
    let user: String

    static func start(in directory: String) async throws -> SSHServer {
        let hostKey = directory + "/host_ed25519"
        let clientKey = directory + "/client_ed25519"
        for key in [hostKey, clientKey] {
            let made = try await ProcessRunner.run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "phoenix-test", "-f", key])
            guard made.status == 0 else { throw GitFixture.Failure(description: "ssh-keygen: \(made.stderr)") }
        }
        try FileManager.default.copyItem(atPath: clientKey + ".pub", toPath: directory + "/authorized_keys")
        let hostPublic = try String(contentsOfFile: hostKey + ".pub", encoding: .utf8).split(separator: " ").prefix(2).joined(separator: " ")
        // sshd refuses to start without its privilege-separation folder (Debian's package makes
        // it at boot through systemd, which these machines do not run).
        try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        var failure = GitFixture.Failure(description: "sshd not started")
        // A free port can be taken by another test's server before sshd binds it: sshd then
        // exits, and that other server may well answer on the port. sshd writes its PidFile
        // only once it listens, so that file, not the open port, says it is ours.
        for _ in 0..<3 {
            let port = LoopbackPort.free()
            let pidFile = "\(directory)/sshd-\(port).pid"
            let knownHosts = directory + "/known_hosts"
            try Data("[127.0.0.1]:\(port) \(hostPublic)\n".utf8).write(to: URL(fileURLWithPath: knownHosts))
            let config = """
                Port \(port)
                ListenAddress 127.0.0.1
                HostKey \(hostKey)
                AuthorizedKeysFile \(directory)/authorized_keys
                PidFile \(pidFile)
                StrictModes no
                UsePAM no
                PasswordAuthentication no
                KbdInteractiveAuthentication no
                PermitRootLogin prohibit-password
                LogLevel ERROR
                """
            try Data(config.utf8).write(to: URL(fileURLWithPath: directory + "/sshd_config"))
            let process = try ChildProcess("/usr/sbin/sshd", arguments: ["-D", "-e", "-f", directory + "/sshd_config"])
            let started = await eventually(timeout: .seconds(20)) {
                process.hasExited || (FileManager.default.fileExists(atPath: pidFile) && GitFixture.isListening(port))
            }
            if started, !process.hasExited {
                return SSHServer(port: port, process: process, clientKey: clientKey, knownHosts: knownHosts,
                                 user: getpwuid(getuid()).map { String(cString: $0.pointee.pw_name) } ?? "root")
            }
            process.terminate()
            _ = await process.wait()
            failure = GitFixture.Failure(description: "sshd did not listen on \(port): \(process.errorOutput)")
        }
        throw failure
    }

    /// `ssh://USER@127.0.0.1:PORT/PATH`.
    func url(_ path: String) -> String { "ssh://\(user)@127.0.0.1:\(port)\(path)" }

    func remote(_ path: String, knownHosts: String? = nil) -> GitRemote {
        GitRemote(url: url(path), sshKeyFile: clientKey, knownHostsFile: knownHosts ?? self.knownHosts)
    }

    func stop() async {
        process.terminate()
        _ = await process.wait()
    }
}
