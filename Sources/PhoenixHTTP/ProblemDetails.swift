import HTTPTypes

/// An `application/problem+json` body (RFC 9457): the one error format of every response.
public struct ProblemDetails: Sendable, Equatable {
    /// The status, repeated in the body.
    public var status: HTTPResponse.Status
    /// A short, constant summary (the reason phrase by default).
    public var title: String
    /// What went wrong with this request, safe to show the client.
    public var detail: String?
    /// The request id, so a client can quote it to an operator.
    public var requestID: String?

    /// Creates a problem for `status`.
    public init(status: HTTPResponse.Status, title: String? = nil, detail: String? = nil, requestID: String? = nil) {
        self.status = status
        self.title = title ?? status.reasonPhrase
        self.detail = detail
        self.requestID = requestID
    }

    /// The problem for an `HTTPError`, keeping its extra header fields (`Allow`).
    public init(_ error: HTTPError, requestID: String?) {
        self.init(status: error.status, detail: error.detail, requestID: requestID)
        self.headerFields = error.headerFields
    }

    /// Header fields the response carries besides the content type.
    public var headerFields: HTTPFields = [:]

    /// The response that carries this problem.
    public var response: Response {
        var json = "{\"type\":\"about:blank\",\"title\":\(JSONString.quote(title)),\"status\":\(status.code)"
        if let detail { json += ",\"detail\":\(JSONString.quote(detail))" }
        if let requestID { json += ",\"request_id\":\(JSONString.quote(requestID))" }
        json += "}"
        var response = Response(status: status, contentType: "application/problem+json", body: json)
        response.headerFields.append(contentsOf: headerFields)
        if let requestID, let name = HTTPField.Name("X-Request-ID") { response.headerFields[name] = requestID }
        return response
    }
}

/// JSON string quoting for the few bodies the HTTP layer writes itself.
public enum JSONString {
    /// `text` as a JSON string literal, escaped per RFC 8259 §7.
    public static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let control where control.value < 0x20:
                let hex = String(control.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
