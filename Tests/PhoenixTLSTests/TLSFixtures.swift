import Foundation
import Logging
import PhoenixHTTP
import PhoenixSockets
import PhoenixTesting
import PhoenixTLS

/// The committed test certificates (see Fixtures/README.md) and a live server that serves them.
enum TLSFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

    static let quietLogger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    static func files(_ name: String) -> TLSCertificateFiles {
        TLSCertificateFiles(chainFile: "\(folder)/\(name).pem", keyFile: "\(folder)/\(name).key")
    }

    /// `phoenix.test` by default, `api.phoenix.test` and `*.internal.phoenix.test` by SNI.
    static let defaultAndAPI = TLSServerConfiguration(certificates: [files("default"), files("api")])

    /// Our server with one TLS listener on 127.0.0.1 port 0, serving the test routes.
    static func server(_ configuration: TLSServerConfiguration = defaultAndAPI, monitor: TestRoutes.SlowMonitor = .init(),
                       logger: Logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
                       configure: (inout HTTPServerConfiguration) -> Void = { _ in }) throws -> (LiveServer, TLSServer) {
        let tls = try TLSServer(configuration: configuration, logger: logger)
        let live = try LiveServer(responder: TestRoutes.router(monitor: monitor), logger: logger) { http in
            http.listeners = [.init(address: try SocketAddress(host: "127.0.0.1", port: 0), security: tls)]
            configure(&http)
        }
        return (live, tls)
    }

    /// `openssl s_client -brief` against the server: a handshake and nothing more (stdin is
    /// empty). What it learnt is on stderr: protocol, cipher, peer certificate, ALPN.
    static func sClient(port: UInt16, _ arguments: [String]) async throws -> ProcessRunner.Output {
        try await ProcessRunner.run("openssl", ["s_client", "-brief", "-connect", "127.0.0.1:\(port)"] + arguments)
    }

    /// The serial number of the certificate the server presents for `serverName`.
    static func servedSerial(port: UInt16, serverName: String = "phoenix.test") async throws -> String {
        let output = try await ProcessRunner.run("sh", ["-c", "openssl s_client -connect 127.0.0.1:\(port) -servername \(serverName) </dev/null 2>/dev/null | openssl x509 -noout -serial"])
        return output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The serial number written in a fixture certificate.
    static func serial(of name: String) async throws -> String {
        try await ProcessRunner.run("openssl", ["x509", "-in", "\(folder)/\(name).pem", "-noout", "-serial"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
