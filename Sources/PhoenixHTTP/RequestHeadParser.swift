import HTTPTypes

/// Parses a complete request head (request line and field lines, each ending in CRLF) into a
/// `RequestHead`, applying RFC 9112's framing rules strictly.
enum RequestHeadParser {
    /// `Host`: HTTPTypes hides `.host` to steer HTTP/2 code to `:authority`; HTTP/1.1 needs it.
    private static let hostField = HTTPField.Name("Host")!  // a valid token: cannot fail
    typealias Bytes = UnsafeRawBufferPointer.SubSequence

    static func parse(_ bytes: UnsafeRawBufferPointer, limits: HTTPLimits) throws(HTTPParseError) -> RequestHead {
        var lines = LineReader(bytes: bytes[...])
        guard let requestLine = try lines.next() else { throw .badRequest("empty request") }
        let start = try RequestLine(parsing: requestLine)
        var fields = HTTPFields()
        var framing = FramingFields()
        var count = 0
        while let line = try lines.next() {
            count += 1
            guard count <= limits.maxHeaderCount else { throw .tooManyHeaders }
            let (name, value) = try splitField(line)
            guard let fieldName = HTTPField.Name(String(decoding: name, as: UTF8.self)) else {
                throw .badRequest("invalid field name")
            }
            try framing.note(name: name, value: value)
            fields.append(HTTPField(name: fieldName, value: value))
        }
        return try assemble(start: start, fields: fields, framing: framing, limits: limits)
    }

    /// Splits `name: value`, rejecting obs-fold, whitespace before the colon and control bytes.
    static func splitField(_ line: Bytes) throws(HTTPParseError) -> (name: Bytes, value: Bytes) {
        guard let first = line.first else { throw .badRequest("empty field line") }
        // RFC 9112 §5.2: obs-fold (a line starting with whitespace) is rejected with 400.
        if first == ASCII.space || first == ASCII.tab { throw .badRequest("obsolete line folding") }
        guard let colon = line.firstIndex(of: ASCII.colon), colon > line.startIndex else {
            throw .badRequest("field line without a name")
        }
        let name = line[line.startIndex..<colon]
        // RFC 9112 §5.1: no whitespace between the name and the colon: SP is not a tchar.
        guard name.allSatisfy(ASCII.isToken) else { throw .badRequest("invalid field name") }
        let value = ASCII.trimmed(line[(colon + 1)...])
        guard value.allSatisfy(ASCII.isFieldValueByte) else { throw .badRequest("control character in field value") }
        return (name, value)
    }

    private static func assemble(
        start: RequestLine, fields: HTTPFields, framing: FramingFields, limits: HTTPLimits
    ) throws(HTTPParseError) -> RequestHead {
        if start.version == .http1_1 {
            // RFC 9112 §3.2: a 1.1 request with no Host, or more than one, gets 400.
            guard framing.hostCount == 1 else { throw .badRequest("a request needs exactly one Host field") }
        } else if framing.hostCount > 1 {
            throw .badRequest("more than one Host field")
        }
        if let host = fields[hostField], !isValidHost(host) { throw .badRequest("invalid Host field") }
        let body = try framing.bodyFraming(version: start.version, limits: limits)
        let keepAlive = start.version == .http1_1 ? !framing.hasClose : framing.hasKeepAlive && !framing.hasClose
        let authority = start.authority ?? fields[hostField]
        let request = HTTPRequest(method: start.method, scheme: nil, authority: authority, path: start.path, headerFields: fields)
        let expectsContinue = framing.expectsContinue && start.version == .http1_1 && body != .none
        return RequestHead(request: request, version: start.version, framing: body, keepAlive: keepAlive, expectsContinue: expectsContinue)
    }
}

/// RFC 9112 §3.2 / RFC 3986 §3.2.2: `uri-host [":" port]`, where uri-host is a reg-name, an IPv4
/// address or a bracketed IP literal. An empty value is allowed (a target without authority).
private func isValidHost(_ value: String) -> Bool {
    value.utf8.allSatisfy { byte in
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "-._~!$&'()*+,;=%:[]".utf8.contains(byte)
        }
    }
}

/// Splits a head into CRLF-terminated lines; a bare CR or LF is a framing error.
struct LineReader {
    var bytes: UnsafeRawBufferPointer.SubSequence

    mutating func next() throws(HTTPParseError) -> UnsafeRawBufferPointer.SubSequence? {
        guard !bytes.isEmpty else { return nil }
        guard let lf = bytes.firstIndex(of: ASCII.lf) else { throw .badRequest("unterminated line") }
        guard lf > bytes.startIndex, bytes[lf - 1] == ASCII.cr else { throw .badRequest("bare LF in head") }
        let line = bytes[bytes.startIndex..<(lf - 1)]
        // RFC 9112 §2.2: a bare CR outside a line ending is invalid.
        guard !line.contains(ASCII.cr) else { throw .badRequest("bare CR in head") }
        bytes = bytes[(lf + 1)...]
        return line
    }
}
