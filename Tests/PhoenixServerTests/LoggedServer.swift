import Foundation
import PhoenixTesting
import Testing

/// `phoenix-dr serve` with its log in a file, for tests that check what the server logged (a
/// pipe would have to be drained, and its text kept, by a thread of the test's own).
struct LoggedServer {
    let process: SpawnedProcess
    let logPath: String
    let port: UInt16

    /// Starts the server on a free loopback port with `environment` added to the test's own,
    /// and waits until it logs its address.
    static func start(config file: URL, environment: [String: String] = [:]) async throws -> LoggedServer {
        let logPath = file.deletingLastPathComponent().appendingPathComponent("serve-\(UUID().uuidString).log").path
        let process = try SpawnedProcess(BinaryTests.binary.path, ["serve", "--config", file.path, "--listen", "127.0.0.1:0"],
                                         environment: environment, stderr: .file(logPath))
        var port: UInt16?
        _ = await eventually(timeout: .seconds(20), poll: .milliseconds(20)) {
            let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            port = text.firstMatch(of: /127\.0\.0\.1:(\d+)/).flatMap { UInt16($0.1) }
            return port != nil || !process.isRunning
        }
        guard let port else {
            process.kill(SIGKILL)
            throw TestSetupError("the server logged no address: \((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "")")
        }
        return LoggedServer(process: process, logPath: logPath, port: port)
    }

    /// Everything logged so far.
    var log: String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }

    /// SIGTERM, and a wait for the exit (SIGKILL if it does not come).
    func stop() async {
        process.kill(SIGTERM)
        if !(await eventually(timeout: .seconds(30)) { !process.isRunning }) { process.kill(SIGKILL) }
    }
}

/// A test could not be set up (a missing service or variable), said plainly.
struct TestSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
