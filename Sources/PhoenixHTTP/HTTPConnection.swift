import HTTPTypes
import PhoenixSockets

/// One HTTP/1.1 connection: reads and decodes requests, runs the responder, writes responses.
///
/// Requests are answered in order: while one is being handled the connection reads nothing more,
/// and pipelined bytes wait in its buffer. An idle connection holds no buffer at all.
final class HTTPConnection: ServedConnection, @unchecked Sendable {
    // Safety: every stored property is touched only on `context.loop`'s thread. The handler task
    // runs with that loop as its executor preference and hands its response back through
    // `loop.execute` if it ever finishes elsewhere.

    enum Phase: Equatable {
        case reading, handling, streaming, writing, lingering, closed
    }

    let stream: any ByteStream
    let fd: Int32
    let peer: SocketAddress?
    unowned let context: LoopContext
    private var decoder: HTTPRequestDecoder
    var inbound: [UInt8] = []
    var inboundStart = 0
    var outbound: [UInt8] = []
    var outboundOffset = 0
    var phase = Phase.reading
    /// Edge-triggered readiness: true until a read reports that the socket is drained.
    private var canRead = true
    /// The peer's FIN (or an error) was reported: read until the read says so.
    private var hasPeerClosed = false
    /// The task running the responder or a streaming producer; cancelled on close.
    var handlerTask: Task<Void, Never>?
    var hasRequestStarted = false
    var framing = ResponseEncoder.Framing(version: .http1_1, isHead: false, keepAlive: true)
    var requestsServed = 0
    /// A streaming producer waiting for the client to catch up.
    var drainWaiter: CheckedContinuation<Void, any Error>?
    /// Whether the body being streamed uses chunked coding (HTTP/1.1) or ends at close (1.0).
    var isChunkedStream = true
    var idleSince: UInt64 = 0
    /// False while the first bytes could still be the h2c preface (only with an HTTP/2 driver).
    private var isProtocolKnown: Bool

    init(stream: any ByteStream, peer: SocketAddress?, context: LoopContext) {
        self.stream = stream
        self.fd = stream.descriptor
        self.peer = peer
        self.context = context
        self.decoder = HTTPRequestDecoder(limits: context.shared.configuration.limits)
        self.isProtocolKnown = context.shared.configuration.http2 == nil
    }

    /// Who goes first when the server is at its connection limit: 0 for a keep-alive connection
    /// waiting between requests, 1 for one that has not sent a byte yet, nil for a busy one.
    var evictionRank: Int? {
        guard phase == .reading && !hasRequestStarted && inbound.isEmpty else { return nil }
        return requestsServed > 0 ? 0 : 1
    }

    /// Starts the header timer; a connection that never sends a byte is closed when it runs out.
    func start() {
        idleSince = MonotonicClock.now()
        setDeadline(after: context.shared.configuration.headerTimeout)
        pump()
    }

    // MARK: - Events

    func handleReadiness(_ readiness: Readiness) {
        if readiness.contains(.writable), outboundOffset < outbound.count { flush() }
        if stream.mayRead(after: readiness) { canRead = true }
        if !readiness.isDisjoint(with: [.peerClosed, .failed]) { hasPeerClosed = true }
        pump()
    }

    func handleDeadline() {
        switch phase {
        case .reading where hasRequestStarted:
            reject(status: .requestTimeout, detail: "request not received in time")
        case .reading, .writing, .streaming, .lingering:
            close()
        case .handling, .closed:
            break
        }
    }

    /// Graceful shutdown: close now if idle, else after the response in progress.
    func beginShutdown() {
        if phase == .reading && !hasRequestStarted && inbound.isEmpty {
            close()
        } else {
            framing.keepAlive = false
        }
    }

    // MARK: - Reading

    func pump() {
        while canRead && (phase == .reading || phase == .lingering) {
            let scratch = context.scratch
            guard let count = stream.readEdgeTriggered(into: scratch, canRead: &canRead, peerClosed: hasPeerClosed) else {
                close()  // the client is gone; a partial request cannot be answered
                return
            }
            if count > 0 && phase == .reading { received(UnsafeRawBufferPointer(rebasing: scratch[0..<count])) }
        }
    }

    private func received(_ bytes: UnsafeRawBufferPointer) {
        if !isProtocolKnown && choosesProtocol(bytes) { return }
        if inbound.isEmpty {
            let used = process(bytes)
            if used < bytes.count && phase != .closed && phase != .lingering {
                inbound.append(contentsOf: bytes[used...])
                inboundStart = 0
            }
        } else {
            // Drop what earlier requests consumed, so pipelined input cannot grow the buffer.
            if inboundStart > 0 {
                inbound.removeSubrange(0..<inboundStart)
                inboundStart = 0
            }
            inbound.append(contentsOf: bytes)
            processBuffered()
        }
    }

    /// Sets the first bytes aside until they rule the h2c preface in or out (RFC 9113 §3.4);
    /// returns false when `bytes` are plain HTTP/1 input still to be processed.
    private func choosesProtocol(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if inbound.isEmpty && ConnectionPreface.match(bytes) == .http1 {  // the common case: no copy
            isProtocolKnown = true
            return false
        }
        inbound.append(contentsOf: bytes)
        switch ConnectionPreface.match(inbound) {
        case .undecided:
            return true
        case .http1:
            isProtocolKnown = true
            processBuffered()
            return true
        case .http2:
            // The stream and descriptor now belong to the HTTP/2 connection: this one is done
            // without closing them (`close()` does nothing once the phase is `.closed`).
            phase = .closed
            let initialBytes = inbound
            inbound = []
            context.handOverToHTTP2(self, initialBytes: initialBytes)
            return true
        }
    }

    func processBuffered() {
        let used = inbound.withUnsafeBytes { process(UnsafeRawBufferPointer(rebasing: $0[inboundStart...])) }
        inboundStart += used
        if inboundStart >= inbound.count || phase == .closed || phase == .lingering {
            inbound = []  // release the storage: idle connections hold no buffer
            inboundStart = 0
        }
    }

    /// Decodes requests from `bytes` until one is dispatched or more input is needed.
    private func process(_ bytes: UnsafeRawBufferPointer) -> Int {
        var offset = 0
        while phase == .reading {
            let result: (consumed: Int, event: HTTPRequestDecoder.Event?)
            do {
                result = try decoder.decode(UnsafeRawBufferPointer(rebasing: bytes[offset...]))
            } catch {
                reject(status: error.status, detail: error.description)
                return bytes.count
            }
            offset += result.consumed
            if !hasRequestStarted && !decoder.isAtRequestBoundary {
                hasRequestStarted = true
                setDeadline(after: context.shared.configuration.headerTimeout)
            }
            switch result.event {
            case nil:
                if result.consumed == 0 { return offset }
            case .head(let expectsContinue):
                setDeadline(after: context.shared.configuration.bodyTimeout)
                if expectsContinue { queue(ResponseEncoder.continueResponse) }
            case .request(let request, let keepAlive):
                dispatch(request, keepAlive: keepAlive)
                return offset
            }
        }
        return offset
    }
}
