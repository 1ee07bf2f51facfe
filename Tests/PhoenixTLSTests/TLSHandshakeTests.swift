import Logging
import PhoenixTesting
import PhoenixTLS
import Testing

/// Real clients (openssl s_client, curl) against our TLS listener: versions, suites, ALPN, SNI.
@Suite struct TLSHandshakeTests {
    @Test(arguments: ["-tls1_2", "-tls1_3"])
    func aClientLimitedToOneVersionConnectsWithIt(_ version: String) async throws {
        let (live, _) = try TLSFixtures.server()
        defer { Task { await live.stop() } }
        let output = try await TLSFixtures.sClient(port: live.port, [version, "-servername", "phoenix.test"])
        #expect(output.status == 0, "\(output.stderr)")
        let expected = version == "-tls1_2" ? "TLSv1.2" : "TLSv1.3"
        #expect(output.stderr.contains("Protocol version: \(expected)"), "\(output.stderr)")
        if version == "-tls1_2" {
            // ECDHE with an AEAD cipher: the only kind the intermediate profile keeps.
            #expect(output.stderr.contains("Ciphersuite: ECDHE-ECDSA-"), "\(output.stderr)")
        }
    }

    @Test(arguments: ["ECDHE-ECDSA-AES128-SHA", "ECDHE-RSA-AES256-SHA384", "AES128-GCM-SHA256", "AES256-SHA", "DHE-RSA-AES128-GCM-SHA256"])
    func aCBCOrNonECDHESuiteIsRefused(_ cipher: String) async throws {
        let (live, _) = try TLSFixtures.server()
        defer { Task { await live.stop() } }
        // Against both the ECDSA default and the RSA certificate (chosen by SNI).
        for name in ["phoenix.test", "api.phoenix.test"] {
            let output = try await TLSFixtures.sClient(port: live.port, ["-tls1_2", "-cipher", cipher, "-servername", name])
            #expect(output.status != 0, "\(cipher) with \(name) was accepted: \(output.stderr)")
            #expect(output.stderr.contains("handshake failure") || output.stderr.contains("no cipher"), "\(output.stderr)")
        }
        // And the server still serves a good client afterwards.
        let good = try await TLSFixtures.sClient(port: live.port, ["-tls1_2", "-servername", "api.phoenix.test"])
        #expect(good.stderr.contains("Ciphersuite: ECDHE-RSA-"), "\(good.stderr)")
    }

    @Test func alpnAgreesOnHTTP11AndGoesOnWithoutALPNWhenNothingMatches() async throws {
        let (live, _) = try TLSFixtures.server()
        defer { Task { await live.stop() } }
        // Without -brief, s_client reports ALPN on stdout.
        let client = { (offer: String) in
            try await ProcessRunner.run("openssl", ["s_client", "-connect", "127.0.0.1:\(live.port)", "-alpn", offer])
        }
        let both = try await client("h2,http/1.1")
        #expect(both.stdout.contains("ALPN protocol: http/1.1"), "\(both.stdout)")
        let other = try await client("spdy/3")
        #expect(other.status == 0, "\(other.stderr)")
        #expect(other.stdout.contains("No ALPN negotiated"), "\(other.stdout)")
    }

    @Test func alpnH2ServesHTTP2OverTLSAndHTTP11StaysAvailable() async throws {
        let (live, _) = try TLSFixtures.server(.init(certificates: [TLSFixtures.files("default")], applicationProtocols: ["h2", "http/1.1"]))
        defer { Task { await live.stop() } }
        let url = "https://127.0.0.1:\(live.port)/health"
        let h2 = try await ProcessRunner.run("curl", ["-sS", "-k", "--http2", url, "-w", " %{http_version}"])
        #expect(h2.stdout == "ok 2", "\(h2.stdout) \(h2.stderr)")
        let h1 = try await ProcessRunner.run("curl", ["-sS", "-k", "--http1.1", url, "-w", " %{http_version}"])
        #expect(h1.stdout == "ok 1.1", "\(h1.stdout) \(h1.stderr)")
    }

    @Test(arguments: [("api.phoenix.test", "api.phoenix.test"), ("node-7.internal.phoenix.test", "api.phoenix.test"),
                      ("API.PHOENIX.TEST", "api.phoenix.test"), ("phoenix.test", "phoenix.test"),
                      ("unknown.example", "phoenix.test"), ("a.b.internal.phoenix.test", "phoenix.test")])
    func sniPicksTheCertificateThatCoversTheName(_ requested: String, _ servedName: String) async throws {
        let (live, _) = try TLSFixtures.server()
        defer { Task { await live.stop() } }
        let output = try await TLSFixtures.sClient(port: live.port, ["-servername", requested])
        #expect(output.stderr.contains("Peer certificate: CN = \(servedName)"), "\(output.stderr)")
    }

    @Test func withoutSNITheFirstCertificateIsServed() async throws {
        let (live, _) = try TLSFixtures.server()
        defer { Task { await live.stop() } }
        let output = try await TLSFixtures.sClient(port: live.port, ["-noservername"])
        #expect(output.stderr.contains("Peer certificate: CN = phoenix.test"), "\(output.stderr)")
    }

    @Test func curlGetsHealthOverTLS12AndTLS13() async throws {
        let (live, _) = try TLSFixtures.server()
        defer { Task { await live.stop() } }
        for versions in [["--tlsv1.2", "--tls-max", "1.2"], ["--tlsv1.3"]] {
            let output = try await ProcessRunner.run("curl", ["-sS", "--cacert", "\(TLSFixtures.folder)/default.pem",
                                                              "--resolve", "phoenix.test:\(live.port):127.0.0.1",
                                                              "https://phoenix.test:\(live.port)/health", "-w", " %{http_code}"] + versions)
            // The certificate verifies against itself: the name, the chain and the dates are right.
            #expect(output.stdout == "ok 200", "\(versions): \(output.stdout) \(output.stderr)")
        }
    }

    @Test func anExpiredCertificateIsServedAsConfiguredAndSaidInTheLog() async throws {
        let logs = InMemoryLogs()
        let (live, _) = try TLSFixtures.server(.init(certificates: [TLSFixtures.files("expired")]), logger: logs.logger())
        defer { Task { await live.stop() } }
        // Route 53's health checks do not validate the certificate: they must still get through.
        let output = try await ProcessRunner.run("curl", ["-sS", "-k", "https://127.0.0.1:\(live.port)/health", "-w", " %{http_code}"])
        #expect(output.stdout == "ok 200", "\(output.stderr)")
        let verified = try await ProcessRunner.run("curl", ["-sS", "--cacert", "\(TLSFixtures.folder)/expired.pem", "--resolve",
                                                            "expired.phoenix.test:\(live.port):127.0.0.1", "https://expired.phoenix.test:\(live.port)/health"])
        #expect(verified.status != 0 && verified.stderr.contains("expired"), "\(verified.stderr)")
        #expect(logs.entries.contains { $0.level == .warning && $0.message.contains("outside its validity period") })
    }
}
