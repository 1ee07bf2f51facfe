import Glibc

/// An incremental HTTP/1.1 request decoder (RFC 9112) over the bytes a connection has buffered.
///
/// The caller passes the unconsumed bytes, drops the `consumed` prefix, and calls again until it
/// gets neither bytes consumed nor an event. The head is parsed once it is complete, so a client
/// that sends it a byte at a time costs a scan of the new bytes only.
///
/// ```swift
/// var decoder = HTTPRequestDecoder(limits: HTTPLimits())
/// let (used, event) = try decoder.decode(bytes)
/// ```
public struct HTTPRequestDecoder: Sendable {
    /// What a call to `decode` produced.
    public enum Event: Sendable {
        /// The head is complete and a body follows; answer `100 Continue` if `expectsContinue`.
        case head(expectsContinue: Bool)
        /// A whole request; `keepAlive` says whether the connection may serve another.
        case request(Request, keepAlive: Bool)
    }

    private enum State: Sendable {
        case head(scanned: Int)
        case body(RequestHead, remaining: Int, [UInt8])
        case chunked(RequestHead, ChunkedBodyDecoder, [UInt8])
    }

    /// The limits applied to every request.
    public let limits: HTTPLimits
    private var state = State.head(scanned: 0)

    /// Creates a decoder waiting for a request line.
    public init(limits: HTTPLimits) {
        self.limits = limits
    }

    /// Whether the decoder has seen no byte of a next request (between requests).
    public var isAtRequestBoundary: Bool {
        if case .head(let scanned) = state { scanned == 0 } else { false }
    }

    /// Whether the head is complete and the body is being read.
    public var isReadingBody: Bool {
        if case .head = state { false } else { true }
    }

    /// Decodes from `bytes`, the unconsumed input.
    /// - Returns: how many leading bytes were used, and the event they completed, if any.
    /// - Throws: `HTTPParseError`; the connection must answer with its status and close.
    public mutating func decode(_ bytes: UnsafeRawBufferPointer) throws(HTTPParseError) -> (consumed: Int, event: Event?) {
        switch state {
        case .head(let scanned):
            return try decodeHead(bytes, scanned: scanned)
        case .body(let head, let remaining, var body):
            state = .head(scanned: 0)  // release the body's storage from `state` while we append
            let take = min(remaining, bytes.count)
            body.append(contentsOf: bytes[0..<take])
            guard take == remaining else {
                state = .body(head, remaining: remaining - take, body)
                return (take, nil)
            }
            return (take, finish(head, body: body))
        case .chunked(let head, var chunked, var body):
            state = .head(scanned: 0)  // release the body's storage from `state` while we append
            let used = try chunked.decode(bytes, into: &body)
            guard chunked.isDone else {
                state = .chunked(head, chunked, body)
                return (used, nil)
            }
            return (used, finish(head, body: body))
        }
    }

    private mutating func decodeHead(_ bytes: UnsafeRawBufferPointer, scanned: Int) throws(HTTPParseError) -> (consumed: Int, event: Event?) {
        // RFC 9112 §2.2: ignore empty lines before a request line.
        if scanned == 0, bytes.first == ASCII.cr {
            guard bytes.count >= 2 else { return (0, nil) }
            if bytes[1] == ASCII.lf { return (2, nil) }
        }
        try rejectNonHTTP(bytes)
        let lineEnd = firstLF(bytes, within: limits.maxRequestLineBytes + 2)
        guard let lineEnd else {
            if bytes.count > limits.maxRequestLineBytes + 1 { throw .requestLineTooLong }
            state = .head(scanned: bytes.count)
            return (0, nil)
        }
        if lineEnd - 1 > limits.maxRequestLineBytes { throw .requestLineTooLong }
        guard let end = try headEnd(bytes, from: max(0, scanned - 3)) else {
            if bytes.count - (lineEnd + 1) > limits.maxHeaderBlockBytes + 2 { throw .headerBlockTooLarge }
            state = .head(scanned: max(bytes.count, 1))
            return (0, nil)
        }
        if end + 4 - (lineEnd + 1) > limits.maxHeaderBlockBytes + 2 { throw .headerBlockTooLarge }
        let head = try RequestHeadParser.parse(UnsafeRawBufferPointer(rebasing: bytes[0..<(end + 2)]), limits: limits)
        switch head.framing {
        case .none:
            state = .head(scanned: 0)
            return (end + 4, .request(Request(head: head.request, body: [], version: head.version), keepAlive: head.keepAlive))
        case .length(let length):
            state = .body(head, remaining: length, [])
        case .chunked:
            state = .chunked(head, ChunkedBodyDecoder(limits: limits), [])
        }
        return (end + 4, .head(expectsContinue: head.expectsContinue))
    }

    private mutating func finish(_ head: RequestHead, body: [UInt8]) -> Event {
        state = .head(scanned: 0)
        return .request(Request(head: head.request, body: body, version: head.version), keepAlive: head.keepAlive)
    }

    /// Fails fast on bytes that cannot start a request (TLS, binary noise) instead of waiting
    /// for a request line that never comes.
    private func rejectNonHTTP(_ bytes: UnsafeRawBufferPointer) throws(HTTPParseError) {
        for byte in bytes.prefix(32) {
            if byte == ASCII.space { return }
            guard ASCII.isToken(byte) else { throw .badRequest("not an HTTP request") }
        }
    }

    private func firstLF(_ bytes: UnsafeRawBufferPointer, within limit: Int) -> Int? {
        let count = min(bytes.count, limit)
        guard count > 0, let base = bytes.baseAddress, let found = memchr(base, Int32(ASCII.lf), count) else { return nil }
        return base.distance(to: UnsafeRawPointer(found))
    }

    /// Finds the CRLFCRLF that ends the head, checking on the way that every LF follows a CR:
    /// a bare LF is rejected now rather than leaving the client waiting for a timeout.
    private func headEnd(_ bytes: UnsafeRawBufferPointer, from: Int) throws(HTTPParseError) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        var index = from
        while index < bytes.count, let found = memchr(base + index, Int32(ASCII.lf), bytes.count - index) {
            let lf = base.distance(to: UnsafeRawPointer(found))
            guard lf > 0, bytes[lf - 1] == ASCII.cr else { throw .badRequest("bare LF in head") }
            if lf >= 3, bytes[lf - 2] == ASCII.lf, bytes[lf - 3] == ASCII.cr { return lf - 3 }
            index = lf + 1
        }
        return nil
    }
}
