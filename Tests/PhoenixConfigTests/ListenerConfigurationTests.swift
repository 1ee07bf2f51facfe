import PhoenixConfig
import PhoenixDomain
import Testing

/// `server.listeners[]` with TLS: the default certificate, more by SNI, the handshake timeout.
@Suite struct ListenerConfigurationTests {
    @Test func aTLSListenerReadsItsCertificatesInOrderAndItsTimeout() throws {
        let yaml = """
        server:
          listeners:
            - address: 127.0.0.1:8080
            - address: 0.0.0.0:443
              tls_certificate: /etc/tls/default.pem
              tls_key: /etc/tls/default.key
              tls_certificates:
                - certificate: /etc/tls/api.pem
                  key: /etc/tls/api.key
              tls_handshake_timeout: 5s
        """
        let listeners = try ConfigurationLoader.load(yaml: yaml).configuration.server.listeners
        #expect(listeners.count == 2)
        #expect(!listeners[0].isTLS)
        #expect(listeners[1].tlsCertificates == [.init(chainFile: "/etc/tls/default.pem", keyFile: "/etc/tls/default.key"),
                                                 .init(chainFile: "/etc/tls/api.pem", keyFile: "/etc/tls/api.key")])
        #expect(listeners[1].tlsHandshakeTimeout == .seconds(5))
        let printed = ConfigurationPrinter.yaml(try ConfigurationLoader.load(yaml: yaml).configuration)
        #expect(printed.contains("/etc/tls/api.key") && printed.contains("tls_handshake_timeout: 5s"), "\(printed)")
    }

    @Test func halfACertificatePairOrATimeoutWithoutTLSIsAnErrorNamingTheKey() {
        let found = errors("""
        server:
          listeners:
            - address: 0.0.0.0:443
              tls_certificate: /etc/tls/default.pem
            - address: 0.0.0.0:8443
              tls_certificates:
                - certificate: /etc/tls/api.pem
            - address: 0.0.0.0:80
              tls_handshake_timeout: 5s
            - address: 0.0.0.0:444
              tls_certificate: /a.pem
              tls_key: /a.key
              tls_handshake_timeout: 0s
              tls_ciphers: RC4
        """)
        #expect(found.contains { $0.contains("server.listeners[0]") && $0.contains("tls_certificate and tls_key go together") }, "\(found)")
        #expect(found.contains { $0.contains("server.listeners[1].tls_certificates[0]") && $0.contains("key") }, "\(found)")
        #expect(found.contains { $0.contains("server.listeners[2].tls_handshake_timeout") && $0.contains("needs a certificate") }, "\(found)")
        #expect(found.contains { $0.contains("server.listeners[3].tls_handshake_timeout") }, "\(found)")
        #expect(found.contains { $0.contains("server.listeners[3]") && $0.contains("tls_ciphers") }, "\(found)")
    }
}
