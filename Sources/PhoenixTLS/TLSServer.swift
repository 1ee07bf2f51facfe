import Logging
import PhoenixSockets
import Synchronization

/// The TLS side of one listener: its certificates, and the sessions it opens on accepted
/// sockets. `reload()` (on SIGHUP) swaps the certificates for new connections; open ones keep
/// theirs, so nothing is dropped.
///
/// ```swift
/// let tls = try TLSServer(configuration: .init(certificates: [.init(chainFile: "cert.pem", keyFile: "key.pem")]), logger: logger)
/// var http = HTTPServerConfiguration(listen: [])
/// http.listeners = [.init(address: try SocketAddress(parsing: "0.0.0.0:443"), security: tls)]
/// ```
public final class TLSServer: StreamSecurity {
    public let configuration: TLSServerConfiguration
    private let current: Mutex<TLSContextSet>
    private let logger: Logger

    /// Loads every certificate; throws when one does not load or its key does not match.
    public init(configuration: TLSServerConfiguration, logger: Logger) throws(TLSError) {
        self.configuration = configuration
        self.logger = logger
        let set = try TLSContextSet(configuration: configuration)
        current = Mutex(set)
        warnAboutValidity(set)
    }

    public var handshakeTimeout: Duration { configuration.handshakeTimeout }

    /// Reads the certificate and key files again. On failure the certificates in use stay.
    public func reload() throws(TLSError) {
        let set = try TLSContextSet(configuration: configuration)
        current.withLock { $0 = set }
        warnAboutValidity(set)
        logger.info("tls certificates reloaded", metadata: ["tls.names": "\(set.certificates.flatMap(\.names))"])
    }

    /// The DNS names of the certificates now served, default first.
    public var serverNames: [[String]] {
        current.withLock { $0.certificates.map(\.names) }
    }

    public func secure(_ stream: SocketStream) throws(SocketError) -> any HandshakingStream {
        let set = current.withLock { $0 }
        return try TLSStream(socket: stream, contexts: set)
    }

    /// An expired certificate is still served (Route 53's checks do not validate it), but said.
    private func warnAboutValidity(_ set: TLSContextSet) {
        for (certificate, files) in zip(set.certificates, configuration.certificates) where certificate.isOutsideValidity {
            logger.warning("tls certificate outside its validity period; serving it as configured",
                           metadata: ["tls.certificate": "\(files.chainFile)", "tls.names": "\(certificate.names)"])
        }
    }
}
