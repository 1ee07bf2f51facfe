import Dispatch
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
    private let process: Process
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
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl", "s_server", "-accept", "127.0.0.1:0", "-cert", certificatePath, "-key", keyPath, "-www"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try ProcessRunner.start(process)
        // s_server prints "ACCEPT 127.0.0.1:PORT" once it listens.
        port = try await Self.readAcceptedPort(output.fileHandleForReading)
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

    /// SIGKILL, not terminate(): a child spawned from a Dispatch worker inherits its blocked
    /// signal mask, so SIGTERM never arrives. The reap waits on a Dispatch thread, off the pool.
    func stop() async {
        kill(process.processIdentifier, SIGKILL)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue(label: "tls-peer-stop").async {
                self.process.waitUntilExit()
                continuation.resume()
            }
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    private static func readAcceptedPort(_ handle: FileHandle) async throws -> UInt16 {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue(label: "tls-peer-output").async {
                var text = ""
                func acceptLine() -> Substring? {
                    text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().first { $0.hasPrefix("ACCEPT") }
                }
                // Until the line is complete, or the process ended (empty read at EOF).
                while acceptLine() == nil {
                    let data = handle.availableData
                    if data.isEmpty { break }
                    text += String(decoding: data, as: UTF8.self)
                }
                let line = acceptLine()
                if let port = line?.split(separator: ":").last.flatMap({ UInt16($0) }) {
                    continuation.resume(returning: port)
                } else {
                    continuation.resume(throwing: TLSPeerError.noPort(text))
                }
            }
        }
    }

    enum TLSPeerError: Error { case openssl(String), noPort(String) }
}
