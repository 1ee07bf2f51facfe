import Foundation
import PhoenixTesting
import PhoenixTLS
import Synchronization
import Testing

/// Certificates swapped on disk and reloaded (what SIGHUP does) while clients are connected.
@Suite struct TLSReloadTests {
    /// The default certificate copied where the test may overwrite it.
    private static func copiedDefault() throws -> (folder: String, files: TLSCertificateFiles) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("phx-tls-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let files = TLSCertificateFiles(chainFile: "\(folder)/cert.pem", keyFile: "\(folder)/key.pem")
        try install("default", as: files)
        return (folder, files)
    }

    private static func install(_ name: String, as files: TLSCertificateFiles) throws {
        let source = TLSFixtures.files(name)
        for (from, to) in [(source.chainFile, files.chainFile), (source.keyFile, files.keyFile)] {
            try Data(contentsOf: URL(fileURLWithPath: from)).write(to: URL(fileURLWithPath: to), options: .atomic)
        }
    }

    @Test func aReloadServesTheNewCertificateWhileAConnectionOpenAcrossItKeepsWorking() async throws {
        let (folder, files) = try Self.copiedDefault()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let monitor = TestRoutes.SlowMonitor()
        let (live, tls) = try TLSFixtures.server(.init(certificates: [files]), monitor: monitor)
        defer { Task { await live.stop() } }
        #expect(try await TLSFixtures.servedSerial(port: live.port) == TLSFixtures.serial(of: "default"))

        // One curl, two requests on one connection: the first is held on the gate over the reload.
        let url = "https://127.0.0.1:\(live.port)"
        let client = Task {
            try await ProcessRunner.run("curl", ["-sS", "-k", "\(url)/hold", "\(url)/health", "-w", " %{http_code}:%{num_connects}\n"])
        }
        #expect(await eventually { monitor.started.load(ordering: .relaxed) == 1 })
        try Self.install("rotated", as: files)
        try tls.reload()
        #expect(try await TLSFixtures.servedSerial(port: live.port) == TLSFixtures.serial(of: "rotated"))
        monitor.gate.open()
        let output = try await client.value
        // Both answered; the second reused the connection made before the reload (no new connect).
        #expect(output.stdout == "held 200:1\nok 200:0\n", "\(output.stdout) \(output.stderr)")
    }

    @Test(arguments: ["not a certificate\n", ""])
    func aReloadOfABrokenFileFailsAndKeepsTheCertificateInUse(_ content: String) async throws {
        let (folder, files) = try Self.copiedDefault()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (live, tls) = try TLSFixtures.server(.init(certificates: [files]))
        defer { Task { await live.stop() } }
        try content.write(toFile: files.chainFile, atomically: true, encoding: .utf8)
        #expect(throws: TLSError.self) { try tls.reload() }
        #expect(try await TLSFixtures.servedSerial(port: live.port) == TLSFixtures.serial(of: "default"))
    }

    @Test func aKeyThatDoesNotMatchOrAMissingFileIsAClearError() throws {
        let logger = TLSFixtures.quietLogger
        let mismatched = TLSCertificateFiles(chainFile: TLSFixtures.files("default").chainFile, keyFile: TLSFixtures.files("api").keyFile)
        let error = #expect(throws: TLSError.self) { try TLSServer(configuration: .init(certificates: [mismatched]), logger: logger) }
        #expect(error?.description.contains("does not match") == true, "\(String(describing: error))")

        let missing = TLSCertificateFiles(chainFile: "/nonexistent/cert.pem", keyFile: "/nonexistent/key.pem")
        let notFound = #expect(throws: TLSError.self) { try TLSServer(configuration: .init(certificates: [missing]), logger: logger) }
        #expect(notFound?.description.contains("/nonexistent/cert.pem") == true, "\(String(describing: notFound))")

        #expect(throws: TLSError.self) { try TLSServer(configuration: .init(certificates: []), logger: logger) }
        #expect(throws: TLSError.self) {
            try TLSServer(configuration: .init(certificates: [TLSFixtures.files("default")], applicationProtocols: [""]), logger: logger)
        }
    }

    @Test func aKeyFileNeverAppearsInAnError() throws {
        // The certificate given as the key: OpenSSL reads it, and the error names only the path.
        let swapped = TLSCertificateFiles(chainFile: TLSFixtures.files("default").chainFile, keyFile: TLSFixtures.files("default").chainFile)
        let error = #expect(throws: TLSError.self) { try TLSServer(configuration: .init(certificates: [swapped]), logger: TLSFixtures.quietLogger) }
        let keyText = try String(contentsOfFile: TLSFixtures.files("default").keyFile, encoding: .utf8)
        let keyBody = keyText.split(separator: "\n")[1]
        #expect(error.map { !$0.description.contains(keyBody) } == true)
    }
}
