import HTTPTypes

/// The HTTP version of a request: 1.0 or 1.1 (a later 1.x minor is answered as 1.1).
public enum HTTPVersion: Sendable, Equatable {
    case http1_0
    case http1_1
}

/// A complete request: the head as `HTTPRequest` (method, path, authority, fields) and its body.
public struct Request: Sendable {
    /// Method, path, authority and header fields.
    public var head: HTTPRequest
    /// The request body, fully received (bounded by `HTTPLimits.maxBodyBytes`).
    public var body: [UInt8]
    /// The protocol version the client spoke.
    public var version: HTTPVersion

    /// Creates a request.
    public init(head: HTTPRequest, body: [UInt8] = [], version: HTTPVersion = .http1_1) {
        self.head = head
        self.body = body
        self.version = version
    }

    /// The method.
    public var method: HTTPRequest.Method { head.method }

    /// The path without the query (`/v1/jobs` for `/v1/jobs?limit=5`).
    public var path: Substring {
        let full = head.path ?? "/"
        guard let query = full.firstIndex(of: "?") else { return Substring(full) }
        return full[..<query]
    }

    /// The header fields.
    public var headerFields: HTTPFields { head.headerFields }
}
