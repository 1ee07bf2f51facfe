import Foundation
@testable import PhoenixSources
import PhoenixTesting

/// A `git daemon` of a test's own on a free loopback port, serving the bare repositories under
/// `base` (`git://127.0.0.1:PORT/name.git`) with pushes allowed, as a DR remote needs.
struct GitDaemon: Sendable {
    let port: Int
    let process: ChildProcess

    static func start(base: String) async throws -> GitDaemon {
        let port = LoopbackPort.free()
        let execPath = try await GitFixture.git(["--exec-path"])
        // The daemon itself, not the `git daemon` wrapper, so terminate() reaches it.
        let process = try ChildProcess("\(execPath)/git-daemon", arguments: [
            "--reuseaddr", "--export-all", "--enable=receive-pack", "--listen=127.0.0.1", "--port=\(port)",
            "--base-path=\(base)", base,
        ])
        guard await eventually(timeout: .seconds(20), { GitFixture.isListening(port) }) else {
            process.terminate()
            _ = await process.wait()
            throw GitFixture.Failure(description: "git daemon did not listen on \(port): \(process.errorOutput)")
        }
        return GitDaemon(port: port, process: process)
    }

    func url(_ name: String) -> String { "git://127.0.0.1:\(port)/\(name)" }

    func stop() async {
        process.terminate()
        _ = await process.wait()
    }
}
