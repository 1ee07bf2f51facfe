/// What curl and the client measured for one finished transfer.
public struct TransferMetrics: Sendable, Equatable {
    /// From the start until the last byte (CURLINFO_TOTAL_TIME_T).
    public var totalTime: Duration
    /// From the start until the first response byte (CURLINFO_STARTTRANSFER_TIME_T).
    public var timeToFirstByte: Duration
    /// Connections this transfer had to open: 0 when it reused one (CURLINFO_NUM_CONNECTS).
    public var connectionsOpened: Int
    /// Response body bytes received.
    public var bytesReceived: Int64
    /// Request body bytes handed to curl.
    public var bytesSent: Int64
    /// The most response bytes held between curl and the consumer at once.
    public var peakReceiveBufferBytes: Int
    /// The most request body bytes held between the producer and curl at once.
    public var peakSendBufferBytes: Int

    /// Creates metrics.
    public init(
        totalTime: Duration, timeToFirstByte: Duration, connectionsOpened: Int,
        bytesReceived: Int64, bytesSent: Int64, peakReceiveBufferBytes: Int, peakSendBufferBytes: Int
    ) {
        self.totalTime = totalTime
        self.timeToFirstByte = timeToFirstByte
        self.connectionsOpened = connectionsOpened
        self.bytesReceived = bytesReceived
        self.bytesSent = bytesSent
        self.peakReceiveBufferBytes = peakReceiveBufferBytes
        self.peakSendBufferBytes = peakSendBufferBytes
    }
}
