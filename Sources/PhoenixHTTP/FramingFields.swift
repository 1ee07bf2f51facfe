/// The fields that decide framing and connection handling, gathered while the head is parsed.
struct FramingFields {
    typealias Bytes = UnsafeRawBufferPointer.SubSequence

    /// The one Content-Length value seen so far; duplicates must agree.
    private(set) var contentLength: Int?
    private(set) var contentLengthOverflows = false
    private(set) var transferCodings: [String] = []
    private(set) var hostCount = 0
    private(set) var hasClose = false
    private(set) var hasKeepAlive = false
    private(set) var expectsContinue = false
    private(set) var unsupportedExpectation = false

    mutating func note(name: Bytes, value: Bytes) throws(HTTPParseError) {
        switch name.count {
        case 4 where ASCII.equalsIgnoringCase(name, "host"):
            hostCount += 1
        case 6 where ASCII.equalsIgnoringCase(name, "expect"):
            if ASCII.equalsIgnoringCase(value, "100-continue") { expectsContinue = true } else { unsupportedExpectation = true }
        case 10 where ASCII.equalsIgnoringCase(name, "connection"):
            for token in Self.listElements(value) {
                if ASCII.equalsIgnoringCase(token, "close") { hasClose = true }
                if ASCII.equalsIgnoringCase(token, "keep-alive") { hasKeepAlive = true }
            }
        case 14 where ASCII.equalsIgnoringCase(name, "content-length"):
            try noteContentLength(value)
        case 17 where ASCII.equalsIgnoringCase(name, "transfer-encoding"):
            for coding in Self.listElements(value) {
                guard !coding.isEmpty, coding.allSatisfy(ASCII.isToken) else { throw .badRequest("invalid transfer coding") }
                transferCodings.append(String(decoding: coding.map(ASCII.lowercased), as: UTF8.self))
            }
        default:
            break
        }
    }

    /// RFC 9112 §6.3: Content-Length is 1*DIGIT; a list or repeat of identical values is one value,
    /// differing values are a framing error.
    private mutating func noteContentLength(_ value: Bytes) throws(HTTPParseError) {
        for element in Self.listElements(value) {
            guard !element.isEmpty, element.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
                throw .badRequest("invalid Content-Length")
            }
            var parsed = 0
            var overflowed = false
            for digit in element {
                let (times, o1) = parsed.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times.addingReportingOverflow(Int(digit - UInt8(ascii: "0")))
                if o1 || o2 { overflowed = true; break }
                parsed = sum
            }
            if overflowed {
                contentLengthOverflows = true
                parsed = Int.max
            }
            if let existing = contentLength, existing != parsed { throw .badRequest("differing Content-Length values") }
            contentLength = parsed
        }
    }

    /// The body framing of RFC 9112 §6.3, checked against the limits.
    func bodyFraming(version: HTTPVersion, limits: HTTPLimits) throws(HTTPParseError) -> RequestHead.Framing {
        if unsupportedExpectation { throw .expectationFailed }
        if !transferCodings.isEmpty {
            // Both present is the classic smuggling vector: reject, never pick one.
            guard contentLength == nil else { throw .badRequest("both Content-Length and Transfer-Encoding") }
            // RFC 9112 §6.1: Transfer-Encoding in a 1.0 request means faulty framing.
            guard version == .http1_1 else { throw .badRequest("Transfer-Encoding in an HTTP/1.0 request") }
            guard transferCodings.allSatisfy({ $0 == "chunked" }) else { throw .unsupportedTransferCoding }
            guard transferCodings.count == 1 else { throw .badRequest("chunked applied more than once") }
            return .chunked
        }
        guard let contentLength else { return .none }
        guard !contentLengthOverflows, contentLength <= limits.maxBodyBytes else { throw .bodyTooLarge }
        return contentLength == 0 ? .none : .length(contentLength)
    }

    /// The elements of a comma-separated list value, trimmed; empty elements are kept so callers
    /// can reject `chunked,,` where it matters.
    static func listElements(_ value: Bytes) -> [Bytes] {
        value.split(separator: ASCII.comma, omittingEmptySubsequences: false).map { ASCII.trimmed($0) }
    }
}
