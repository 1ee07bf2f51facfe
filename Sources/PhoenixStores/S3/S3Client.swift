import FoundationEssentials
import HTTPTypes
import Logging
import PhoenixAWS
import PhoenixCrypto
import PhoenixDomain
import PhoenixHTTPClient

/// Signs and sends S3 calls, and tries again where that can help.
///
/// Every body is in memory (a part, a manifest, an XML document), so a retry resends the same
/// bytes under a fresh signature; large objects are cut into parts before they reach here.
final class S3Client: Sendable {
    /// One S3 operation.
    struct Call: Sendable {
        /// The operation's name in errors and logs (`PutObject`).
        var operation: String
        var method: HTTPRequest.Method
        /// The object, or nil for a bucket-level call.
        var key: String?
        var query: [SigV4Request.QueryItem] = []
        var headers: [SigV4Request.Header] = []
        var body: [UInt8] = []
        /// The largest answer body accepted.
        var maxResponseBytes = 1 << 20
        /// Whether a 200 may carry an `<Error>` document (CompleteMultipartUpload, CopyObject).
        var mayFailWithStatus200 = false
    }

    let addressing: S3Addressing
    private let signer: SigV4Signer
    private let credentials: any AWSCredentialsProvider
    private let http: HTTPClient
    let retry: S3RetryPolicy
    let logger: Logger

    init(addressing: S3Addressing, region: String, credentials: any AWSCredentialsProvider, http: HTTPClient,
         retry: S3RetryPolicy, logger: Logger) {
        self.addressing = addressing
        signer = SigV4Signer(region: AWSRegion(region), service: .s3)
        self.credentials = credentials
        self.http = http
        self.retry = retry
        self.logger = logger
    }

    /// Sends `call` until it succeeds (2xx), fails for good, or runs out of tries.
    /// - Throws: `S3ResponseError`, `StoreError` (credentials), `CancellationError`.
    func send(_ call: Call) async throws -> HTTPClientResponse {
        let payload = SigV4Payload.bytes(call.body)
        var attempt = 1
        while true {
            do {
                return try await sendOnce(call, payload: payload)
            } catch let error as S3ResponseError where error.isRetryable && attempt < retry.maxAttempts {
                let wait = retry.delay(after: attempt)
                logger.warning("S3 call failed; trying again", metadata: [
                    "operation": "\(call.operation)", "key": "\(call.key ?? "")", "code": "\(error.code)",
                    "attempt": "\(attempt)", "wait_ms": "\(wait.components.seconds * 1000 + wait.components.attoseconds / 1_000_000_000_000_000)",
                ])
                try await Task.sleep(for: wait)
                attempt += 1
            }
        }
    }

    private func sendOnce(_ call: Call, payload: SigV4Payload) async throws -> HTTPClientResponse {
        let request = SigV4Request(method: call.method.rawValue, host: addressing.hostField, path: addressing.path(for: call.key),
                                   query: call.query, headers: call.headers, payload: payload)
        let signed: SignedRequest
        let keys: AWSCredentials
        do {
            keys = try await credentials.credentials()
        } catch where error.code == .cancelled {
            throw CancellationError()
        } catch where error.code == .metadataUnavailable {
            throw StoreError(.unavailable, "S3 \(call.operation): no credentials: \(error)")
        } catch {
            throw StoreError(.denied, "S3 \(call.operation): no usable credentials: \(error)")
        }
        do {
            signed = try signer.sign(request, credentials: keys, date: Date())
        } catch {
            throw StoreError(.invalidKey, "S3 \(call.operation) could not be signed: \(error)")
        }
        var fields = HTTPFields()
        for header in signed.headers where header.name.lowercased() != "host" {
            guard let name = HTTPField.Name(header.name) else { continue }
            fields.append(HTTPField(name: name, value: header.value))
        }
        // GET, HEAD and DELETE go without a body; POST and PUT always send a Content-Length.
        let isBodiless = call.body.isEmpty && [.get, .head, .delete].contains(call.method)
        let body: HTTPClientRequest.Body = isBodiless ? .none : .bytes(call.body)
        let httpRequest = HTTPClientRequest(method: call.method, url: addressing.url(target: signed.target), headerFields: fields, body: body)
        let response: HTTPClientResponse
        do {
            response = try await http.execute(httpRequest, maxBodyBytes: call.maxResponseBytes)
        } catch let error as HTTPClientError {
            throw S3ResponseError(operation: call.operation, key: call.key, transport: error)
        }
        let status = response.status.code
        guard (200..<300).contains(status) else {
            throw S3ResponseError(operation: call.operation, key: call.key, status: status, body: response.body)
        }
        if call.mayFailWithStatus200 {
            try S3ResponseError.checkEmbeddedError(in: response.body, operation: call.operation, key: call.key)
        }
        return response
    }
}

extension S3ResponseError {
    /// CompleteMultipartUpload and CopyObject can answer 200 and still fail: S3 sends the status
    /// line early and the `<Error>` document once the work is done. Throws when `body` is one.
    static func checkEmbeddedError(in body: [UInt8], operation: String, key: String?) throws(S3ResponseError) {
        guard let document = XMLElementTree.parse(body), document.name == "Error" else { return }
        var error = S3ResponseError(operation: operation, key: key, status: 200, body: body)
        error.isRetryable = S3ResponseError.retryableCodes.contains(error.code)
        throw error
    }
}
