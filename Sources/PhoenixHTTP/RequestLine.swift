import HTTPTypes

/// The request line (RFC 9112 §3): `method SP request-target SP HTTP-version`.
struct RequestLine {
    var method: HTTPRequest.Method
    var path: String
    /// Set for absolute-form targets (`http://host/path`), which carry their own authority.
    var authority: String?
    var version: HTTPVersion

    init(parsing line: UnsafeRawBufferPointer.SubSequence) throws(HTTPParseError) {
        guard let firstSpace = line.firstIndex(of: ASCII.space),
              let secondSpace = line[(firstSpace + 1)...].firstIndex(of: ASCII.space)
        else { throw .badRequest("malformed request line") }
        let methodBytes = line[line.startIndex..<firstSpace]
        let target = line[(firstSpace + 1)..<secondSpace]
        let versionBytes = line[(secondSpace + 1)...]
        guard !methodBytes.isEmpty, methodBytes.allSatisfy(ASCII.isToken),
              let method = HTTPRequest.Method(String(decoding: methodBytes, as: UTF8.self))
        else { throw .badRequest("invalid method") }
        self.method = method
        self.version = try Self.parseVersion(versionBytes)
        guard !target.isEmpty, target.allSatisfy(ASCII.isTargetByte) else {
            throw .badRequest("invalid request target")
        }
        (path, authority) = try Self.parseTarget(String(decoding: target, as: UTF8.self), method: method)
    }

    /// `HTTP/1.0` and `HTTP/1.1`; a later 1.x is served as 1.1 (RFC 9110 §6.2); other majors 505.
    private static func parseVersion(_ bytes: UnsafeRawBufferPointer.SubSequence) throws(HTTPParseError) -> HTTPVersion {
        let text = Array(bytes)
        let digits = UInt8(ascii: "0")...UInt8(ascii: "9")
        guard text.count == 8, text[0..<5].elementsEqual("HTTP/".utf8), digits.contains(text[5]),
              text[6] == UInt8(ascii: "."), digits.contains(text[7])
        else { throw .badRequest("malformed HTTP version") }
        guard text[5] == UInt8(ascii: "1") else { throw .versionNotSupported }
        return text[7] == UInt8(ascii: "0") ? .http1_0 : .http1_1
    }

    /// Origin-form, absolute-form, and asterisk-form for OPTIONS (RFC 9112 §3.2).
    private static func parseTarget(_ target: String, method: HTTPRequest.Method) throws(HTTPParseError) -> (String, String?) {
        if target.hasPrefix("/") { return (target, nil) }
        if target == "*" {
            guard method == .options else { throw .badRequest("asterisk-form is for OPTIONS only") }
            return (target, nil)
        }
        let lower = target.lowercased()
        for scheme in ["http://", "https://"] where lower.hasPrefix(scheme) {
            let rest = target.dropFirst(scheme.count)
            let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
            let authority = String(rest[..<slash])
            guard !authority.isEmpty else { throw .badRequest("absolute-form without a host") }
            let path = rest[slash...]
            return (path.hasPrefix("/") ? String(path) : "/" + path, authority)
        }
        throw .badRequest("unsupported request target form")
    }
}
