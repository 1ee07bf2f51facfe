import HTTPTypes

/// A response: status, header fields and a body held in memory.
public struct Response: Sendable {
    /// The status.
    public var status: HTTPResponse.Status
    /// Header fields. `Content-Length`, `Date` and `Connection` are added by the server.
    public var headerFields: HTTPFields
    /// The body bytes (omitted on the wire for HEAD, 1xx, 204 and 304).
    public var body: [UInt8]

    /// Creates a response.
    public init(status: HTTPResponse.Status, headerFields: HTTPFields = [:], body: [UInt8] = []) {
        self.status = status
        self.headerFields = headerFields
        self.body = body
    }

    /// A response with a UTF-8 body of the given content type.
    public init(status: HTTPResponse.Status, contentType: String, body: String) {
        var fields = HTTPFields()
        fields[.contentType] = contentType
        self.init(status: status, headerFields: fields, body: Array(body.utf8))
    }
}
