/// A PEM certificate chain (leaf first) and its private key, as files on disk.
public struct TLSCertificateFiles: Sendable, Equatable {
    public var chainFile: String
    public var keyFile: String

    public init(chainFile: String, keyFile: String) {
        self.chainFile = chainFile
        self.keyFile = keyFile
    }
}

/// How a TLS listener is set up.
public struct TLSServerConfiguration: Sendable, Equatable {
    /// The first is served when the client names no host (SNI) or one no certificate covers;
    /// the others are chosen by the DNS names in their subjectAltName.
    public var certificates: [TLSCertificateFiles]
    /// ALPN protocols in our order of preference (`http/1.1`; `h2` once HTTP/2 is served).
    public var applicationProtocols: [String]
    /// How long a client may take to finish its handshake.
    public var handshakeTimeout: Duration

    public init(certificates: [TLSCertificateFiles], applicationProtocols: [String] = ["http/1.1"],
                handshakeTimeout: Duration = .seconds(10)) {
        self.certificates = certificates
        self.applicationProtocols = applicationProtocols
        self.handshakeTimeout = handshakeTimeout
    }
}
