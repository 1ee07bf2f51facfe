import CCurl

/// The one error type of PhoenixHTTPClient.
///
/// `description` is safe to show an API client: it names what went wrong, never the URL, a
/// header or a credential. `debugDescription` adds curl's code name and its error-buffer text,
/// for logs only.
public struct HTTPClientError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What kind of failure this is; the set grows, so match with `default`.
    public enum Code: Sendable, Hashable {
        /// The TCP connection could not be made (refused, unreachable).
        case connectFailed
        /// The host (or proxy) name did not resolve.
        case dnsFailed
        /// The connect timeout, the total timeout or the stall limit was exceeded.
        case timeout
        /// The TLS handshake or certificate verification failed.
        case tls
        /// The response body is larger than the allowed maximum.
        case bodyTooLarge
        /// The request was cancelled: the client shut down, or the body was abandoned.
        case cancelled
        /// The request could not be built (malformed URL, unsupported scheme, bad option).
        case invalidRequest
        /// The request body producer threw.
        case requestBodyFailed
        /// The peer answered with something that is not HTTP.
        case invalidResponse
        /// The connection closed before the whole response arrived.
        case truncatedResponse
        /// Any other transfer failure; `curlCodeName` says which.
        case transport
    }

    /// The kind of failure.
    public let code: Code
    /// curl's result code, when the failure came from curl.
    public let curlCode: Int32?
    /// A client-safe sentence (no URL, headers or credentials).
    public let message: String
    /// curl's CURLOPT_ERRORBUFFER text or another detail, for `debugDescription` only: it may name
    /// hosts and ports.
    public let detail: String?
    /// Where the error was created.
    public let file: String
    /// The line where the error was created.
    public let line: Int

    /// Creates an error.
    public init(
        _ code: Code, _ message: String, curlCode: Int32? = nil, detail: String? = nil,
        file: String = #fileID, line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.curlCode = curlCode
        self.detail = detail
        self.file = file
        self.line = line
    }

    /// The name of `curlCode` (`CURLE_COULDNT_CONNECT`), or nil.
    public var curlCodeName: String? {
        curlCode.map(CurlCodeName.name(of:))
    }

    /// The client-safe message.
    public var description: String { message }

    /// Code, message, curl's code name and error text, and the source location: for logs.
    public var debugDescription: String {
        var text = "HTTPClientError(\(code)): \(message)"
        if let curlCodeName { text += " [\(curlCodeName)]" }
        if let detail, !detail.isEmpty { text += ": \(detail)" }
        return text + " at \(file):\(line)"
    }
}

extension HTTPClientError {
    /// Maps a failed transfer's CURLcode to an error; `detail` is the error-buffer text, read
    /// before the easy handle is cleaned up.
    static func transfer(_ result: CURLcode, detail: String, file: String = #fileID, line: Int = #line) -> HTTPClientError {
        let raw = Int32(result.rawValue)
        let (code, message) = classify(result)
        return HTTPClientError(code, message, curlCode: raw, detail: detail, file: file, line: line)
    }

    private static func classify(_ result: CURLcode) -> (Code, String) {
        switch result {
        case CURLE_COULDNT_CONNECT:
            return (.connectFailed, "could not connect to the server")
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return (.dnsFailed, "the host name could not be resolved")
        case CURLE_OPERATION_TIMEDOUT:
            return (.timeout, "the request timed out")
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
             CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR,
             CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_CRL_BADFILE, CURLE_SSL_SHUTDOWN_FAILED,
             CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED,
             CURLE_USE_SSL_FAILED, CURLE_SSL_CLIENTCERT:
            return (.tls, "the TLS connection could not be established")
        case CURLE_URL_MALFORMAT, CURLE_BAD_FUNCTION_ARGUMENT:
            return (.invalidRequest, "the request is invalid")
        case CURLE_WEIRD_SERVER_REPLY, CURLE_UNSUPPORTED_PROTOCOL, CURLE_HTTP2, CURLE_HTTP2_STREAM:
            // The scheme was checked before the transfer, so UNSUPPORTED_PROTOCOL here is a
            // reply without a status line (HTTP/0.9, which curl refuses by default).
            return (.invalidResponse, "the server did not answer with valid HTTP")
        case CURLE_PARTIAL_FILE:
            // curl's name for "Content-Length or chunked framing promised more than arrived".
            return (.truncatedResponse, "the connection closed before the response was complete")
        case CURLE_GOT_NOTHING:
            return (.truncatedResponse, "the connection closed before a response arrived")
        case CURLE_RECV_ERROR:
            return (.truncatedResponse, "the connection failed while receiving the response")
        default:
            return (.transport, "the HTTP transfer failed")
        }
    }
}
