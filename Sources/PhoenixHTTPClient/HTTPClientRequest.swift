import HTTPTypes

/// One request: method, absolute URL, header fields, body and optional timeouts.
///
/// Methods and fields are swift-http-types' `HTTPRequest.Method` and `HTTPFields`, the types
/// PhoenixHTTP's server already speaks, so callers (the S3 store, the Vault source) build
/// requests with the same vocabulary on both sides. `HTTPFields` legalizes values (CR, LF and
/// NUL become spaces), so a field cannot inject another one.
public struct HTTPClientRequest: Sendable {
    /// What is sent after the head.
    public enum Body: Sendable {
        /// No body. POST, PUT and PATCH still send `Content-Length: 0`.
        case none
        /// Bytes in memory, sent with `Content-Length`.
        case bytes([UInt8])
        /// Bytes written piece by piece by `producer`: with `Content-Length` when `length` is
        /// known, chunked otherwise. Each `write` waits while curl has not taken the previous
        /// piece, so memory stays bounded whatever the size. The producer runs in a child task
        /// of the `execute` call and should end when its task is cancelled.
        case stream(length: Int64?, producer: @Sendable (HTTPClientBodyWriter) async throws -> Void)

        /// A body read from an async sequence of byte pieces.
        public static func sequence<Pieces: AsyncSequence & Sendable>(_ pieces: Pieces, length: Int64?) -> Body
        where Pieces.Element == [UInt8] {
            .stream(length: length) { writer in
                for try await piece in pieces { try await writer.write(piece) }
            }
        }

        /// The declared length: the byte count, nil for an unknown streamed length.
        var length: Int64? {
            switch self {
            case .none: return 0
            case .bytes(let bytes): return Int64(bytes.count)
            case .stream(let length, _): return length
            }
        }
    }

    /// The method.
    public var method: HTTPRequest.Method
    /// The absolute `http://` or `https://` URL; may carry user info, which is never logged.
    public var url: String
    /// Header fields, sent in order; `Host`, `Content-Length` and `Transfer-Encoding` come from
    /// the URL and the body.
    public var headerFields: HTTPFields
    /// The body.
    public var body: Body
    /// Timeouts for this request; nil uses the client's configuration.
    public var timeouts: HTTPClientTimeouts?

    /// Creates a request.
    public init(
        method: HTTPRequest.Method = .get,
        url: String,
        headerFields: HTTPFields = [:],
        body: Body = .none,
        timeouts: HTTPClientTimeouts? = nil
    ) {
        self.method = method
        self.url = url
        self.headerFields = headerFields
        self.body = body
        self.timeouts = timeouts
    }

    /// Whether curl must upload a body: any body, or a method whose servers expect a length.
    var hasUpload: Bool {
        switch body {
        case .none: return [.post, .put, .patch].contains(method)
        case .bytes, .stream: return true
        }
    }
}
