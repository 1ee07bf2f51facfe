import HTTPTypes
import PhoenixSockets

/// One HTTP/1.1 connection: reads and decodes requests, runs the responder, writes responses.
///
/// Requests are answered in order: while one is being handled the connection reads nothing more,
/// and pipelined bytes wait in its buffer. An idle connection holds no buffer at all.
final class HTTPConnection: EventHandler, @unchecked Sendable {
    // Safety: every stored property is touched only on `context.loop`'s thread. The handler task
    // runs with that loop as its executor preference and hands its response back through
    // `loop.execute` if it ever finishes elsewhere.

    enum Phase: Equatable {
        case reading, handling, writing, lingering, closed
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
    var hasRequestStarted = false
    var framing = ResponseEncoder.Framing(version: .http1_1, isHead: false, keepAlive: true)
    var requestsServed = 0
    var idleSince: UInt64 = 0

    init(stream: any ByteStream, peer: SocketAddress?, context: LoopContext) {
        self.stream = stream
        self.fd = stream.descriptor
        self.peer = peer
        self.context = context
        self.decoder = HTTPRequestDecoder(limits: context.shared.configuration.limits)
    }

    /// Waiting for its next request after at least one exchange: the first to go at the limit.
    var isIdleKeepAlive: Bool {
        phase == .reading && requestsServed > 0 && !hasRequestStarted && inbound.isEmpty
    }

    /// Starts the header timer; a connection that never sends a byte is closed when it runs out.
    func start() {
        setDeadline(after: context.shared.configuration.headerTimeout)
        pump()
    }

    // MARK: - Events

    func handleReadiness(_ readiness: Readiness) {
        if readiness.contains(.writable), outboundOffset < outbound.count { flush() }
        if !readiness.isDisjoint(with: [.readable, .peerClosed, .failed]) { canRead = true }
        pump()
    }

    func handleDeadline() {
        switch phase {
        case .reading where hasRequestStarted:
            reject(status: .requestTimeout, detail: "request not received in time")
        case .reading, .writing, .lingering:
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
            let outcome: IOOutcome
            do {
                outcome = try stream.read(into: scratch)
            } catch {
                close()
                return
            }
            switch outcome {
            case .wouldBlock:
                canRead = false
            case .closed:
                close()  // the client is gone; a partial request cannot be answered
                return
            case .transferred(let count):
                // A short read drained the socket; new data raises a new edge (as nginx assumes).
                if count < scratch.count { canRead = false }
                if phase == .reading { received(UnsafeRawBufferPointer(rebasing: scratch[0..<count])) }
            }
        }
    }

    private func received(_ bytes: UnsafeRawBufferPointer) {
        if inbound.isEmpty {
            let used = process(bytes)
            if used < bytes.count && phase != .closed && phase != .lingering {
                inbound.append(contentsOf: bytes[used...])
                inboundStart = 0
            }
        } else {
            inbound.append(contentsOf: bytes)
            processBuffered()
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
                if expectsContinue { enqueue(ResponseEncoder.continueResponse) }
            case .request(let request, let keepAlive):
                dispatch(request, keepAlive: keepAlive)
                return offset
            }
        }
        return offset
    }
}
