import HTTPTypes

/// Builds the final response head from the lines curl's header callback delivers, one line per
/// call, CRLF included (CURLOPT_HEADERFUNCTION(3)).
///
/// Informational heads (`100 Continue`, RFC 9110 §15.2) are dropped: the next status line starts
/// over. Proxy CONNECT heads never reach us (CURLOPT_SUPPRESS_CONNECT_HEADERS). Fields keep their
/// order and repeated names; a field whose name is not a token is skipped rather than failing
/// the whole response.
struct ResponseHeadParser {
    private var status: HTTPResponse.Status?
    private var fields: [HTTPField] = []

    /// Feeds one header line; returns the head when `line` ends a final (non-1xx) head.
    mutating func consume(_ line: UnsafeRawBufferPointer) -> HTTPResponse? {
        var bytes = ArraySlice(line)
        while let last = bytes.last, last == UInt8(ascii: "\r") || last == UInt8(ascii: "\n") {
            bytes = bytes.dropLast()
        }
        if bytes.isEmpty {
            return endOfHead()
        }
        if bytes.starts(with: Self.httpPrefix) {
            status = Self.parseStatus(bytes)
            fields.removeAll()
        } else if let first = bytes.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") {
            // RFC 9112 §5.2: obsolete line folding; replace it with a space.
            guard let previous = fields.popLast() else { return nil }
            let value = previous.value + " " + Self.trimmed(bytes)
            fields.append(HTTPField(name: previous.name, value: value))
        } else if let colon = bytes.firstIndex(of: UInt8(ascii: ":")) {
            let name = String(decoding: bytes[..<colon], as: UTF8.self)
            guard let fieldName = HTTPField.Name(name) else { return nil }
            fields.append(HTTPField(name: fieldName, value: Self.trimmed(bytes[(colon + 1)...])))
        }
        return nil
    }

    private mutating func endOfHead() -> HTTPResponse? {
        guard let status else { return nil }
        defer {
            self.status = nil
            fields.removeAll()
        }
        guard status.kind != .informational else { return nil }
        return HTTPResponse(status: status, headerFields: HTTPFields(fields))
    }

    private static let httpPrefix = Array("HTTP/".utf8)

    /// `HTTP/1.1 200 OK` or `HTTP/2 200` → the status; nil when the code is not three digits.
    private static func parseStatus(_ line: ArraySlice<UInt8>) -> HTTPResponse.Status? {
        let parts = line.split(separator: UInt8(ascii: " "), maxSplits: 2, omittingEmptySubsequences: true)
        guard parts.count >= 2, parts[1].count == 3,
              let code = Int(String(decoding: parts[1], as: UTF8.self)), (100...999).contains(code)
        else { return nil }
        let reason = parts.count > 2 ? String(decoding: parts[2], as: UTF8.self) : ""
        return HTTPResponse.Status(code: code, reasonPhrase: reason)
    }

    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> String {
        var slice = bytes
        while let first = slice.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") { slice = slice.dropFirst() }
        while let last = slice.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") { slice = slice.dropLast() }
        return String(decoding: slice, as: UTF8.self)
    }
}
