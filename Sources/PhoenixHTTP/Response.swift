import HTTPTypes

/// A response body: bytes held in memory, or a stream written while the client reads.
public enum ResponseBody: Sendable {
    /// The whole body, sent with `Content-Length`.
    case bytes([UInt8])
    /// A body produced piece by piece (Server-Sent Events, artifact downloads), sent with chunked
    /// encoding. If the producer throws, the connection is closed mid-body, so the client sees an
    /// incomplete message rather than a wrong one.
    case stream(@Sendable (ResponseBodyWriter) async throws -> Void)
}

/// Writes the pieces of a streamed body; each `write` waits while the client is behind.
public struct ResponseBodyWriter: Sendable {
    let sink: any ResponseBodySink

    /// A writer that hands the pieces to `sink` (an HTTP/1.1 connection or an HTTP/2 stream).
    package init(sink: any ResponseBodySink) {
        self.sink = sink
    }

    /// Sends `bytes` as the next piece of the body.
    /// - Throws: `HTTPError` with 499-like semantics (`.badRequest`) once the client is gone.
    public func write(_ bytes: [UInt8]) async throws {
        guard !bytes.isEmpty else { return }
        try await sink.writeBodyPiece(bytes)
    }

    /// Sends UTF-8 text as the next piece of the body.
    public func write(_ text: String) async throws {
        try await write(Array(text.utf8))
    }
}

/// Where a streamed body goes: the HTTP/1.1 connection or an HTTP/2 stream.
package protocol ResponseBodySink: Sendable {
    /// Queues `bytes`, waiting while the client is behind; throws once the client is gone.
    func writeBodyPiece(_ bytes: [UInt8]) async throws
}

/// A response: status, header fields and a body.
public struct Response: Sendable {
    /// The status.
    public var status: HTTPResponse.Status
    /// Header fields. `Content-Length`/`Transfer-Encoding`, `Date` and `Connection` are added by
    /// the server.
    public var headerFields: HTTPFields
    /// The body (omitted on the wire for HEAD, 1xx, 204 and 304).
    public var body: ResponseBody

    /// Creates a response with a body in memory.
    public init(status: HTTPResponse.Status, headerFields: HTTPFields = [:], body: [UInt8] = []) {
        self.status = status
        self.headerFields = headerFields
        self.body = .bytes(body)
    }

    /// Creates a response whose body is streamed by `producer`.
    public init(status: HTTPResponse.Status, headerFields: HTTPFields = [:], stream producer: @escaping @Sendable (ResponseBodyWriter) async throws -> Void) {
        self.status = status
        self.headerFields = headerFields
        self.body = .stream(producer)
    }

    /// A response with a UTF-8 body of the given content type.
    public init(status: HTTPResponse.Status, contentType: String, body: String) {
        var fields = HTTPFields()
        fields[.contentType] = contentType
        self.init(status: status, headerFields: fields, body: Array(body.utf8))
    }
}
