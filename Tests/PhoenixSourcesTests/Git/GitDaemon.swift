import Foundation
@testable import PhoenixSources
import PhoenixTesting

/// A `git daemon` of a test's own on a free loopback port, serving the bare repositories under
/// `base` (`git://127.0.0.1:PORT/name.git`) with pushes allowed, as a DR remote needs.
struct GitDaemon: Sendable {
    let port: Int
    let process: ChildProcess

    static func start(base: String) async throws -> GitDaemon {
        let execPath = try await GitFixture.git(["--exec-path"])
        var failure = GitFixture.Failure(description: "git daemon not started")
        // A free port can be taken by another test's server before the daemon binds it: the
        // daemon then exits while that server answers on the port. Another port, then.
        for _ in 0..<3 {
            let port = LoopbackPort.free()
            // The daemon itself, not the `git daemon` wrapper, so terminate() reaches it.
            // --verbose: it logs "Ready to rumble" once it has bound the port, which tells its own
            // listening from another test's server answering on the same port.
            let process = try ChildProcess("\(execPath)/git-daemon", arguments: [
                "--verbose", "--reuseaddr", "--export-all", "--enable=receive-pack", "--listen=127.0.0.1", "--port=\(port)",
                "--base-path=\(base)", base,
            ])
            let ready = await eventually(timeout: .seconds(20)) { process.hasExited || process.errorOutput.contains("Ready to rumble") }
            if ready, !process.hasExited { return GitDaemon(port: port, process: process) }
            process.terminate()
            _ = await process.wait()
            failure = GitFixture.Failure(description: "git daemon did not listen on \(port): \(process.errorOutput)")
        }
        throw failure
    }

    func url(_ name: String) -> String { "git://127.0.0.1:\(port)/\(name)" }

    func stop() async {
        process.terminate()
        _ = await process.wait()
    }
}
