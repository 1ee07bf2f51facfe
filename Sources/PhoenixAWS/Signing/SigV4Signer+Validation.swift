/// Refusing requests that cannot be signed as they will be sent.
///
/// Every check guards a mismatch between what is signed and what goes on the wire, or a header
/// injection: a raw space in the path, CR/LF in a value, a `Host` in two places.
extension SigV4Signer {
    func validate(_ request: SigV4Request) throws(AWSError) {
        let word: (UInt8) -> Bool = { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == UInt8(ascii: "-") }
        guard !region.rawValue.isEmpty, region.rawValue.utf8.allSatisfy(word) else {
            throw AWSError(.invalidRequest, "the region is not a lowercase word")
        }
        guard !service.rawValue.isEmpty, service.rawValue.utf8.allSatisfy(word) else {
            throw AWSError(.invalidRequest, "the service is not a lowercase word")
        }
        guard Self.isToken(request.method) else { throw AWSError(.invalidRequest, "the method is not an HTTP token") }
        guard !request.host.isEmpty, request.host.utf8.allSatisfy({ (0x21...0x7E).contains($0) && $0 != UInt8(ascii: "/") }) else {
            throw AWSError(.invalidRequest, "the host is empty or not a host[:port]")
        }
        guard AWSPercentEncoding.isWirePath(request.path) else {
            throw AWSError(.invalidRequest, "the path is not percent-encoded (use AWSPercentEncoding.encodePath)")
        }
        guard request.payload.isWellFormed else {
            throw AWSError(.invalidRequest, "the payload hash is not 64 lowercase hex digits")
        }
        for header in request.headers {
            guard Self.isToken(header.name) else { throw AWSError(.invalidRequest, "a header name is not an HTTP token") }
            guard header.name.lowercased() != "host" else {
                throw AWSError(.invalidRequest, "the host goes in SigV4Request.host, not in headers")
            }
            // Visible ASCII, space and tab: no CR/LF injection, and no other whitespace that
            // botocore's str.split() would collapse while the wire keeps it.
            guard header.value.utf8.allSatisfy({ (0x20...0x7E).contains($0) || $0 == 0x09 }) else {
                throw AWSError(.invalidRequest, "the value of '\(header.name.lowercased())' has a control or non-ASCII character")
            }
        }
    }

    /// RFC 9110 §5.6.2 `token`: the characters allowed in methods and field names.
    static func isToken(_ text: String) -> Bool {
        let symbols = Array("!#$%&'*+-.^_`|~".utf8)
        return !text.isEmpty && text.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || symbols.contains(byte)
        }
    }
}
