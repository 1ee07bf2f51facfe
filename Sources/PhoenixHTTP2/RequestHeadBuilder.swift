import HTTPTypes
import PhoenixHTTP

/// Gathers an HTTP/2 request's decoded fields into the `HTTPRequest` an HTTP/1.1 head would
/// give, under the same `HTTPLimits`, so a handler cannot tell which protocol carried it.
///
/// nghttp2 has already checked the pseudo-fields and the field syntax of RFC 9113 §8.2-8.3
/// (a malformed request gets RST_STREAM(PROTOCOL_ERROR) there, the connection stays up).
struct RequestHeadBuilder {
    /// `Host`: HTTPTypes hides `.host`; HTTP/1.1 handlers see one, so HTTP/2 ones do too.
    private static let hostField = HTTPField.Name("Host")!  // a valid token: cannot fail

    private var method: String?
    private var path: String?
    private var authority: String?
    private var fields = HTTPFields()
    private var fieldCount = 0
    private var fieldBytes = 0
    /// Why the request is refused, once known; later fields are ignored.
    private(set) var failure: HTTPParseError?
    /// `Expect: 100-continue` was sent.
    private(set) var expectsContinue = false
    /// The declared `Content-Length`, if any (nghttp2 checks that the DATA frames agree).
    private(set) var contentLength: Int?

    mutating func add(name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>, limits: HTTPLimits) {
        guard failure == nil else { return }
        if name.first == UInt8(ascii: ":") {
            addPseudoField(name, value, limits: limits)
            return
        }
        fieldCount += 1
        fieldBytes += name.count + value.count + 4  // what `name: value\r\n` costs in HTTP/1.1
        guard fieldCount <= limits.maxHeaderCount else { return fail(.tooManyHeaders) }
        guard fieldBytes <= limits.maxHeaderBlockBytes + 2 else { return fail(.headerBlockTooLarge) }
        guard let fieldName = HTTPField.Name(String(decoding: name, as: UTF8.self)) else {
            return fail(.badRequest("invalid field name"))
        }
        // The byte count first: most fields are neither, and a count is cheaper than a comparison.
        if name.count == 14 && fieldName == .contentLength { contentLength = Int(String(decoding: value, as: UTF8.self)) }
        if name.count == 6 && fieldName == .expect {
            expectsContinue = String(decoding: value, as: UTF8.self).lowercased() == "100-continue"
        }
        fields.append(HTTPField(name: fieldName, value: value))
    }

    /// nghttp2 has already rejected unknown and repeated pseudo-fields, so their length (and
    /// the second byte for the two of seven bytes) tells them apart.
    private mutating func addPseudoField(_ name: UnsafeBufferPointer<UInt8>, _ value: UnsafeBufferPointer<UInt8>, limits: HTTPLimits) {
        switch name.count {
        case 5: path = String(decoding: value, as: UTF8.self)  // :path
        case 10: authority = String(decoding: value, as: UTF8.self)  // :authority
        case 7 where name[1] == UInt8(ascii: "m"): method = String(decoding: value, as: UTF8.self)  // :method, not :scheme
        default: return  // :scheme, :protocol: not kept
        }
        // The HTTP/1.1 request line `METHOD PATH HTTP/1.1` is bounded; so is its equivalent.
        if (method?.utf8.count ?? 0) + (path?.utf8.count ?? 0) + 10 > limits.maxRequestLineBytes {
            fail(.requestLineTooLong)
        }
    }

    private mutating func fail(_ error: HTTPParseError) {
        failure = error
        fields = HTTPFields()
    }

    /// The request head; throws what the fields broke (a status and a detail for the client).
    func makeRequest() throws(HTTPParseError) -> HTTPRequest {
        if let failure { throw failure }
        guard let method, let parsed = HTTPRequest.Method(method), let path else {
            throw .badRequest("a request needs :method and :path")
        }
        var fields = fields
        // RFC 9113 §8.3.1: :authority takes the place of Host; handlers read either as in HTTP/1.1.
        // `contains` first: the name subscript joins values through generic code, on every request.
        let hasHost = fields.contains(Self.hostField)
        let authority = authority ?? (hasHost ? fields[Self.hostField] : nil)
        if !hasHost, let authority { fields.append(HTTPField(name: Self.hostField, value: authority)) }
        return HTTPRequest(method: parsed, scheme: nil, authority: authority, path: path, headerFields: fields)
    }
}
