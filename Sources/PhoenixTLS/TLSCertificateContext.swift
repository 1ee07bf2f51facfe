import COpenSSL
import Glibc

/// One certificate chain and its key in an OpenSSL server context with Mozilla's
/// "intermediate" profile: TLS 1.2 and 1.3, and for TLS 1.2 only ECDHE key exchange with AEAD
/// ciphers (no CBC, no RSA key exchange, no renegotiation, no compression).
final class TLSCertificateContext: @unchecked Sendable {
    // Safety: the SSL_CTX is configured in init and only read afterwards (OpenSSL allows
    // SSL_new from several threads on a context that is no longer changed).

    /// TLS 1.2 suites of the intermediate profile without its DHE ones (ECDHE only).
    static let tls12Ciphers = [
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
        "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
    ].joined(separator: ":")
    static let groups = "X25519:prime256v1:secp384r1"

    let context: OpaquePointer
    /// Lower-cased DNS names from subjectAltName (or the subject's CN when it has none).
    let names: [String]
    /// Whether notAfter is in the past or notBefore in the future when the file was loaded.
    let isOutsideValidity: Bool

    init(files: TLSCertificateFiles) throws(TLSError) {
        TLSError.drainErrorQueue()
        guard let context = SSL_CTX_new(TLS_server_method()) else { throw .openSSL("SSL_CTX_new") }
        self.context = context
        do throws(TLSError) {
            try Self.applyProfile(context)
            guard SSL_CTX_use_certificate_chain_file(context, files.chainFile) == 1 else {
                throw .openSSL("loading the certificate chain \(files.chainFile)")
            }
            guard SSL_CTX_use_PrivateKey_file(context, files.keyFile, SSL_FILETYPE_PEM) == 1 else {
                throw .openSSL("loading the private key \(files.keyFile)")
            }
            guard SSL_CTX_check_private_key(context) == 1 else {
                throw .openSSL("the private key \(files.keyFile) does not match the certificate \(files.chainFile)")
            }
            guard let leaf = SSL_CTX_get0_certificate(context) else { throw TLSError("\(files.chainFile) holds no certificate") }
            names = Self.dnsNames(of: leaf)
            isOutsideValidity = X509_cmp_current_time(X509_get0_notAfter(leaf)) < 0 || X509_cmp_current_time(X509_get0_notBefore(leaf)) > 0
        } catch {
            SSL_CTX_free(context)
            throw error
        }
    }

    deinit {
        SSL_CTX_free(context)
    }

    private static func applyProfile(_ context: OpaquePointer) throws(TLSError) {
        guard phx_ssl_ctx_set_min_proto_version(context, TLS1_2_VERSION) == 1,
              SSL_CTX_set_cipher_list(context, tls12Ciphers) == 1,
              phx_ssl_ctx_set1_groups_list(context, groups) == 1
        else { throw .openSSL("applying the intermediate TLS profile") }
        _ = SSL_CTX_set_options(context, phx_ssl_op_no_renegotiation | phx_ssl_op_no_compression)
        // Partial writes and a moving buffer: the HTTP layer retries a short write from a Swift
        // array that may have moved. Released buffers: an idle keep-alive connection holds none.
        // Read-ahead: one read(2) takes whatever the socket holds (several small records at once).
        phx_ssl_ctx_set_read_ahead(context, 1)
        _ = phx_ssl_ctx_set_mode(context, Int(SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS))
    }

    /// The names SNI matches against.
    private static func dnsNames(of certificate: OpaquePointer) -> [String] {
        var names: [String] = []
        if let alternatives = phx_x509_subject_alt_names(certificate) {
            for index in 0..<phx_general_names_count(alternatives) {
                guard let dns = phx_general_name_dns(alternatives, index), let bytes = ASN1_STRING_get0_data(dns) else { continue }
                let text = String(decoding: UnsafeBufferPointer(start: bytes, count: Int(ASN1_STRING_length(dns))), as: UTF8.self)
                names.append(text.lowercased())
            }
            phx_general_names_free(alternatives)
        }
        if names.isEmpty, let subject = X509_get_subject_name(certificate) {
            var buffer = [CChar](repeating: 0, count: 256)
            let length = X509_NAME_get_text_by_NID(subject, NID_commonName, &buffer, Int32(buffer.count))
            if length > 0 { names.append(String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self).lowercased()) }
        }
        return names
    }

    /// Whether this certificate covers `host`: an exact name, or a wildcard for one label.
    func covers(_ host: String) -> Bool {
        names.contains { name in
            if name == host { return true }
            guard name.hasPrefix("*."), let dot = host.firstIndex(of: ".") else { return false }
            return host[dot...] == name.dropFirst()
        }
    }
}
