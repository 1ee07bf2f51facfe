import Foundation
import Glibc
import PhoenixTesting
import Synchronization

/// `openssl s_server -www` with a fresh self-signed certificate for 127.0.0.1, on port 0.
final class TLSPeer: Sendable {
    let port: UInt16
    /// The PEM certificate, to trust through `caBundlePath`.
    let certificatePath: String
    private let directory: String
    private let process: SpawnedProcess
    private static let launchWait = Duration.seconds(10)

    init() async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("t_\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        certificatePath = directory + "/cert.pem"
        let keyPath = directory + "/key.pem"
        let made = try await ProcessRunner.run("openssl", [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", keyPath, "-out", certificatePath,
        ])
        guard made.status == 0 else { throw TLSPeerError.openssl(made.stderr) }
        process = try SpawnedProcess("openssl", [
            "s_server", "-accept", "127.0.0.1:0", "-cert", certificatePath, "-key", keyPath, "-www",
        ], stdout: .pipe)
        guard let output = process.standardOutput else { throw TLSPeerError.noPort("") }
        // s_server prints "ACCEPT 127.0.0.1:PORT" once it listens; what it prints later is drained.
        port = try await offPool {
            defer { output.drainInBackground() }
            return try TLSPeer.readAcceptedPort(output)
        }
    }

    /// Runs `body` with a started peer and always stops it.
    static func with<T>(_ body: (TLSPeer) async throws -> T) async throws -> T {
        let peer = try await TLSPeer()
        do {
            let value = try await body(peer)
            await peer.stop()
            return value
        } catch {
            await peer.stop()
            throw error
        }
    }

    /// Stops the peer (SIGKILL: it has nothing to flush) and waits until it is reaped.
    func stop() async {
        process.kill(SIGKILL)
        await process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Reads until the ACCEPT line is complete, or the process ended (empty read at EOF).
    private static func readAcceptedPort(_ output: PipeReader) throws -> UInt16 {
        var text = ""
        func acceptLine() -> Substring? {
            text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().first { $0.hasPrefix("ACCEPT") }
        }
        while acceptLine() == nil {
            let data = output.read()
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        guard let port = acceptLine()?.split(separator: ":").last.flatMap({ UInt16($0) }) else { throw TLSPeerError.noPort(text) }
        return port
    }

    enum TLSPeerError: Error { case openssl(String), noPort(String) }
}
