import HTTPTypes
import PhoenixDomain
import PhoenixHTTPClient

/// A failed S3 call: the operation, S3's error code and message, the HTTP status, and whether
/// trying again can help.
struct S3ResponseError: Error, Sendable {
    var operation: String
    var key: String?
    var status: Int?
    /// S3's `<Code>` (`NoSuchKey`, `SlowDown`), or a transport error's name.
    var code: String
    var message: String
    var isRetryable: Bool

    /// S3 error codes that mean "later", whatever the status.
    static let retryableCodes: Set<String> = [
        "SlowDown", "Throttling", "ThrottlingException", "RequestThrottled", "RequestLimitExceeded",
        "InternalError", "ServiceUnavailable", "RequestTimeout", "RequestTimeTooSkewed",
    ]

    /// The error an HTTP answer describes: the `<Error>` document's code and message when there
    /// is one (HEAD answers have no body: the status alone then).
    init(operation: String, key: String?, status: Int, body: [UInt8]) {
        self.operation = operation
        self.key = key
        self.status = status
        let document = XMLElementTree.parse(Array(body.prefix(64 * 1024)))
        let error = document?.name == "Error" ? document : document?.child("Error")
        code = Self.printable(error?.value("Code") ?? Self.codeForStatus(status), limit: 64)
        message = Self.printable(error?.value("Message") ?? "")
        isRetryable = status >= 500 || status == 429 || Self.retryableCodes.contains(code)
    }

    /// A transport failure: connection refused or reset, a timeout, a cut-off answer.
    init(operation: String, key: String?, transport: HTTPClientError) {
        self.operation = operation
        self.key = key
        status = nil
        code = "\(transport.code)"
        message = transport.message
        switch transport.code {
        case .connectFailed, .dnsFailed, .timeout, .truncatedResponse, .transport, .invalidResponse:
            isRetryable = true
        default:
            isRetryable = false
        }
    }

    /// Server text as it may appear in an error a client sees: at most `limit` characters, no
    /// control characters (an endpoint is not trusted to keep its messages short or clean).
    static func printable(_ text: String, limit: Int = 200) -> String {
        let cleaned = String(String.UnicodeScalarView(text.unicodeScalars.prefix(limit + 1).map {
            $0.properties.generalCategory == .control ? " " : $0
        }))
        return cleaned.count > limit ? String(cleaned.prefix(limit)) + "…" : cleaned
    }

    private static func codeForStatus(_ status: Int) -> String {
        switch status {
        case 403: "AccessDenied"
        case 404: "NotFound"
        case 412: "PreconditionFailed"
        case 503: "ServiceUnavailable"
        default: "HTTP\(status)"
        }
    }

    /// The store-level error callers see; its message names the operation, the key and S3's code,
    /// never a credential or a signature.
    var storeError: StoreError {
        let subject = key.map { "\(operation) of \($0)" } ?? operation
        let reason = status.map { "\(code) (HTTP \($0))" } ?? code
        let text = "S3 \(subject) failed: \(reason)" + (message.isEmpty ? "" : ": \(message)")
        let kind: StoreError.Code = switch (status, code) {
        case (404, _), (_, "NoSuchKey"), (_, "NoSuchUpload"): .notFound
        case (403, _), (_, "AccessDenied"), (_, "SignatureDoesNotMatch"), (_, "InvalidAccessKeyId"): .denied
        case (nil, _): .unavailable
        case (let status?, _) where status >= 500: .unavailable
        default: .io
        }
        return StoreError(kind, text)
    }
}
