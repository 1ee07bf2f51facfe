import COpenSSL

/// The certificates of one listener as loaded at one moment, with the SNI and ALPN callbacks
/// that choose among them. A reload builds a new set; sessions keep the set they began with.
final class TLSContextSet: @unchecked Sendable {
    // Safety: immutable after init; OpenSSL calls the callbacks on the loop thread of the
    // handshaking connection, and they only read.

    let certificates: [TLSCertificateContext]
    /// ALPN protocols in wire format (length-prefixed), in our order of preference.
    private let protocols: UnsafeMutableBufferPointer<UInt8>

    init(configuration: TLSServerConfiguration) throws(TLSError) {
        guard !configuration.certificates.isEmpty else { throw TLSError("a TLS listener needs at least one certificate") }
        var loaded: [TLSCertificateContext] = []
        for files in configuration.certificates {
            loaded.append(try TLSCertificateContext(files: files))
        }
        var wire: [UInt8] = []
        for name in configuration.applicationProtocols {
            let bytes = Array(name.utf8)
            guard (1...255).contains(bytes.count) else { throw TLSError("ALPN protocol name \"\(name)\" must be 1 to 255 bytes") }
            wire.append(UInt8(bytes.count))
            wire += bytes
        }
        certificates = loaded
        protocols = .allocate(capacity: max(wire.count, 1))
        _ = protocols.initialize(from: wire)
        protocolsCount = wire.count
        let me = Unmanaged.passUnretained(self).toOpaque()
        for certificate in certificates {
            _ = phx_ssl_ctx_set_servername_callback(certificate.context, chooseCertificate)
            _ = phx_ssl_ctx_set_servername_arg(certificate.context, me)
            SSL_CTX_set_alpn_select_cb(certificate.context, chooseProtocol, me)
        }
    }

    private let protocolsCount: Int

    deinit {
        protocols.deallocate()
    }

    /// The context a new session starts on (the first certificate).
    var defaultContext: OpaquePointer { certificates[0].context }

    /// The certificate for a requested host name; nil keeps the default.
    func certificate(for host: String) -> TLSCertificateContext? {
        let host = host.lowercased()
        return certificates.first { $0.covers(host) }
    }

    /// Picks the first of our protocols the client offers.
    fileprivate func select(_ out: UnsafeMutablePointer<UnsafePointer<UInt8>?>, _ outCount: UnsafeMutablePointer<UInt8>,
                            offered: UnsafePointer<UInt8>, offeredCount: UInt32) -> Int32 {
        var chosen: UnsafeMutablePointer<UInt8>?
        let result = SSL_select_next_proto(&chosen, outCount, protocols.baseAddress, UInt32(protocolsCount), offered, offeredCount)
        guard result == OPENSSL_NPN_NEGOTIATED, let chosen else { return SSL_TLSEXT_ERR_NOACK }
        out.pointee = UnsafePointer(chosen)
        return SSL_TLSEXT_ERR_OK
    }
}

/// SNI: switches the session to the certificate that covers the requested name. An unknown name
/// keeps the default certificate, as web servers do.
private let chooseCertificate: phx_servername_callback = { ssl, _, argument in
    guard let ssl, let argument, let name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name) else { return SSL_TLSEXT_ERR_OK }
    let set = Unmanaged<TLSContextSet>.fromOpaque(argument).takeUnretainedValue()
    if let certificate = set.certificate(for: String(cString: name)), certificate.context != SSL_get_SSL_CTX(ssl) {
        _ = SSL_set_SSL_CTX(ssl, certificate.context)
    }
    return SSL_TLSEXT_ERR_OK
}

/// ALPN: our preference among what the client offers; no overlap goes on without ALPN.
private let chooseProtocol: @convention(c) (OpaquePointer?, UnsafeMutablePointer<UnsafePointer<UInt8>?>?, UnsafeMutablePointer<UInt8>?,
                                            UnsafePointer<UInt8>?, UInt32, UnsafeMutableRawPointer?) -> Int32 = { _, out, outCount, offered, offeredCount, argument in
    guard let out, let outCount, let offered, let argument else { return SSL_TLSEXT_ERR_NOACK }
    let set = Unmanaged<TLSContextSet>.fromOpaque(argument).takeUnretainedValue()
    return set.select(out, outCount, offered: offered, offeredCount: offeredCount)
}
