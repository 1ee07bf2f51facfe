import HTTPTypes

/// A response whose body was read into memory by `HTTPClient.execute(_:maxBodyBytes:)`.
public struct HTTPClientResponse: Sendable {
    /// Status and every header field as received: in order, repeated names kept.
    public var head: HTTPResponse
    /// The whole body.
    public var body: [UInt8]
    /// Timing, connection and buffer measurements.
    public var metrics: TransferMetrics

    /// Creates a response.
    public init(head: HTTPResponse, body: [UInt8], metrics: TransferMetrics) {
        self.head = head
        self.body = body
        self.metrics = metrics
    }

    /// The status.
    public var status: HTTPResponse.Status { head.status }

    /// The header fields.
    public var headerFields: HTTPFields { head.headerFields }
}
