import HTTPTypes

/// A parsed request head with the framing and connection facts the server acts on.
struct RequestHead: Sendable {
    /// How the body is delimited (RFC 9112 §6.3).
    enum Framing: Sendable, Equatable {
        case none
        case length(Int)
        case chunked
    }

    var request: HTTPRequest
    var version: HTTPVersion
    var framing: Framing
    /// Whether the connection stays open after this exchange.
    var keepAlive: Bool
    /// `Expect: 100-continue` was sent with a body still to come.
    var expectsContinue: Bool
}
