import COpenSSL

/// Why TLS could not be set up: a certificate or key that does not load, a key that does not
/// match its certificate, a setting OpenSSL refuses. Carries OpenSSL's own reason.
public struct TLSError: Error, Sendable, CustomStringConvertible {
    public let description: String

    init(_ what: String) {
        description = what
    }

    /// `what`, followed by the reasons on OpenSSL's error queue for this thread (which it empties).
    static func openSSL(_ what: String) -> TLSError {
        let reasons = drainErrorQueue()
        return TLSError(reasons.isEmpty ? what : "\(what): \(reasons.joined(separator: "; "))")
    }

    /// Empties this thread's error queue, so one connection's failure is never blamed on the next.
    @discardableResult
    static func drainErrorQueue() -> [String] {
        var reasons: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 || reasons.count >= 8 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            reasons.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        ERR_clear_error()
        return reasons
    }
}
