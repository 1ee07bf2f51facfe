import HTTPTypes

/// Why a request could not be parsed. Each case knows the status it is answered with; every one
/// closes the connection, since the framing of whatever follows can no longer be trusted
/// (RFC 9112 §11.2: a message with bad framing is a smuggling vector).
public enum HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Malformed syntax or framing (400), with a short reason safe to show the client.
    case badRequest(String)
    /// The request line is longer than the limit (414).
    case requestLineTooLong
    /// The header block is larger than the limit (431).
    case headerBlockTooLarge
    /// More header fields than the limit (431).
    case tooManyHeaders
    /// The body (declared or received) is larger than the limit (413).
    case bodyTooLarge
    /// An HTTP major version other than 1 (505).
    case versionNotSupported
    /// A transfer coding other than `chunked` (501).
    case unsupportedTransferCoding
    /// An `Expect` value other than `100-continue` (417).
    case expectationFailed

    /// The status the server answers with.
    public var status: HTTPResponse.Status {
        switch self {
        case .badRequest: .badRequest
        case .requestLineTooLong: .uriTooLong
        case .headerBlockTooLarge, .tooManyHeaders: .requestHeaderFieldsTooLarge
        case .bodyTooLarge: .contentTooLarge
        case .versionNotSupported: .init(code: 505, reasonPhrase: "HTTP Version Not Supported")
        case .unsupportedTransferCoding: .notImplemented
        case .expectationFailed: .expectationFailed
        }
    }

    public var description: String {
        switch self {
        case .badRequest(let reason): reason
        case .requestLineTooLong: "request line too long"
        case .headerBlockTooLarge: "header block too large"
        case .tooManyHeaders: "too many header fields"
        case .bodyTooLarge: "request body too large"
        case .versionNotSupported: "HTTP version not supported"
        case .unsupportedTransferCoding: "transfer coding not supported"
        case .expectationFailed: "expectation not supported"
        }
    }
}
