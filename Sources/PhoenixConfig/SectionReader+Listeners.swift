import PhoenixDomain

extension SectionReader {
    /// `server.listeners[]`: `address`, and for TLS `tls_certificate` + `tls_key` (the default
    /// certificate), `tls_certificates` (more, chosen by SNI: `[{certificate, key}]`) and
    /// `tls_handshake_timeout`.
    func readListener(_ item: ConfigNode) -> ListenerSpec? {
        let allowed: Set<String> = ["address", "tls_certificate", "tls_key", "tls_certificates", "tls_handshake_timeout"]
        guard let entry = item.fields(allowed: allowed), let address = required(entry, "address", in: item)?.string() else { return nil }
        var listener = ListenerSpec(address: address)
        let certificate = entry["tls_certificate"]?.string(), key = entry["tls_key"]?.string()
        if (certificate == nil) != (key == nil) { item.error("tls_certificate and tls_key go together") }
        if let certificate, let key { listener.tlsCertificates.append(.init(chainFile: certificate, keyFile: key)) }
        for pair in entry["tls_certificates"]?.items() ?? [] {
            guard let fields = pair.fields(allowed: ["certificate", "key"]),
                  let certificate = required(fields, "certificate", in: pair)?.string(),
                  let key = required(fields, "key", in: pair)?.string()
            else { continue }
            listener.tlsCertificates.append(.init(chainFile: certificate, keyFile: key))
        }
        if let timeout = entry["tls_handshake_timeout"] {
            if listener.isTLS {
                listener.tlsHandshakeTimeout = timeout.duration(in: .milliseconds(100)...(.seconds(300))) ?? listener.tlsHandshakeTimeout
            } else {
                timeout.error("tls_handshake_timeout needs a certificate on this listener")
            }
        }
        return listener
    }
}
