import CNGHTTP2
import Logging
import PhoenixHTTP
import PhoenixSockets

/// One HTTP/2 connection: an nghttp2 server session over a `ByteStream`, whose streams feed the
/// server's responder exactly as HTTP/1.1 requests do.
///
/// Reads go through `nghttp2_session_mem_recv`; frames come out of `nghttp2_session_mem_send`
/// into one outbound buffer, pulled only while that buffer is small, so a client that does not
/// read leaves its acknowledgements queued inside nghttp2, where the flood limits see them.
final class HTTP2Connection: ServedConnection, @unchecked Sendable {
    // Safety: every stored property, and the nghttp2 session, is touched only on
    // `context.loop`'s thread. Handler tasks run with that loop as executor preference and come
    // back through `loop.execute` when they finish elsewhere.

    enum Phase {
        case open
        /// Our side is closed; unread input is drained for a moment (RFC 9112 §9.6 applies to
        /// TCP under HTTP/2 as well: a reset could destroy the last frames in flight).
        case lingering
        case closed
    }

    let stream: any ByteStream
    let fd: Int32
    let peer: SocketAddress?
    unowned let context: LoopContext
    let settings: HTTP2Settings
    let session: NGHTTP2Session
    var streams: [Int32: HTTP2Stream] = [:]
    /// The stream looked up last: nghttp2 reports a request one callback at a time (a field,
    /// the frame, …), so most lookups ask for it again and skip hashing the id.
    var recent: HTTP2Stream?
    var phase = Phase.open
    var resets: ResetRateLimiter
    var bufferedBodyBytes = 0
    var requestsServed = 0
    var idleSince: UInt64
    private var initialBytes: [UInt8]
    private var outbound: [UInt8] = []
    private var outboundOffset = 0
    /// When the socket last took bytes.
    var lastWrite: UInt64
    private var canRead = true
    private var hasPeerClosed = false
    private var isReadScheduled = false
    /// The tick deadline is set (see HTTP2Connection+Timers).
    var isTimerArmed = false
    /// Streams were open at the last check; `idleSince` is set when the last one closes.
    var isBusy = false
    /// A write is due once the loop's current batch of work is done (`flushAfterBatch`).
    var isFlushScheduled = false
    /// We sent (or queued) GOAWAY: no new stream will be taken.
    var isGoingAway = false

    /// Outbound bytes pulled from nghttp2 before writing; more waits inside the session.
    private static let outboundHighWater = 64 * 1024
    /// Reads per readiness event before yielding the loop to other connections.
    private static let readsPerTurn = 16

    init(stream: any ByteStream, peer: SocketAddress?, context: LoopContext, settings: HTTP2Settings,
         initialBytes: [UInt8]) throws(HTTP2Error) {
        self.stream = stream
        self.fd = stream.descriptor
        self.peer = peer
        self.context = context
        self.settings = settings
        self.session = try NGHTTP2Session(settings: settings)
        let now = MonotonicClock.now()
        self.resets = ResetRateLimiter(burst: settings.resetBurst, perSecond: settings.resetsPerSecond, now: now)
        self.idleSince = now
        self.lastWrite = now
        self.initialBytes = initialBytes
        session.setUserData(self)
        try session.submitSettings(settings, limits: context.shared.configuration.limits.maxHeaderBlockBytes)
    }

    var configuration: HTTPServerConfiguration { context.shared.configuration }

    /// Frames are waiting for the socket.
    var hasUnsentOutput: Bool { outboundOffset < outbound.count }

    var evictionRank: Int? {
        guard phase == .open && streams.isEmpty else { return nil }
        return requestsServed > 0 ? 0 : 1
    }

    /// The open stream `id`, if any.
    func lookup(_ id: Int32) -> HTTP2Stream? {
        if let recent, recent.id == id { return recent }
        let found = streams[id]
        if found != nil { recent = found }
        return found
    }

    // MARK: - Events

    func start() {
        let bytes = initialBytes
        initialBytes = []
        bytes.withUnsafeBytes { receive($0) }
        if context.shared.isShuttingDown { beginShutdown() }
        pump()
    }

    func handleReadiness(_ readiness: Readiness) {
        if stream.mayRead(after: readiness) { canRead = true }
        if !readiness.isDisjoint(with: [.peerClosed, .failed]) { hasPeerClosed = true }
        pump()
    }

    /// Graceful shutdown (RFC 9113 §6.8): GOAWAY naming the last stream we took; those streams
    /// finish, and the connection closes once none is left.
    func beginShutdown() {
        guard phase == .open else { return }
        isGoingAway = true
        let lastStream = nghttp2_session_get_last_proc_stream_id(session.raw)
        _ = nghttp2_submit_goaway(session.raw, UInt8(NGHTTP2_FLAG_NONE.rawValue), lastStream, NGHTTP2_NO_ERROR.rawValue, nil, 0)
        afterIO()
    }

    /// Ends the session at once with GOAWAY(`code`), for a misbehaving client.
    func terminate(_ code: nghttp2_error_code) {
        guard phase == .open else { return }
        _ = nghttp2_session_terminate_session(session.raw, code.rawValue)
    }

    // MARK: - Reading

    private func pump() {
        var reads = 0
        while canRead && phase != .closed {
            guard reads < Self.readsPerTurn else {
                scheduleRead()  // edge-triggered: no new event comes for input already waiting
                break
            }
            reads += 1
            let scratch = context.scratch
            guard let count = stream.readEdgeTriggered(into: scratch, canRead: &canRead, peerClosed: hasPeerClosed) else {
                close()
                return
            }
            if count > 0 && phase == .open { receive(UnsafeRawBufferPointer(rebasing: scratch[0..<count])) }
        }
        afterIO()
    }

    private func scheduleRead() {
        guard !isReadScheduled else { return }
        isReadScheduled = true
        context.loop.execute {
            self.isReadScheduled = false
            self.pump()
        }
    }

    private func receive(_ bytes: UnsafeRawBufferPointer) {
        guard phase == .open, let base = bytes.baseAddress, !bytes.isEmpty else { return }
        let used = nghttp2_session_mem_recv(session.raw, base.assumingMemoryBound(to: UInt8.self), bytes.count)
        guard used < 0 else { return }
        // Fatal for the session: a bad preface, a flood (NGHTTP2_ERR_FLOODED), a callback failure.
        context.shared.logger.debug("http2 session failed", metadata: [
            "peer.address": "\(peer.map { "\($0)" } ?? "-")", "error.type": "\(HTTP2Error(operation: "nghttp2_session_mem_recv", code: Int32(used)))",
        ])
        let code = Int32(used) == NGHTTP2_ERR_FLOODED.rawValue ? NGHTTP2_ENHANCE_YOUR_CALM : NGHTTP2_PROTOCOL_ERROR
        _ = nghttp2_session_terminate_session(session.raw, code.rawValue)
        flush()
        close()
    }

    // MARK: - Writing

    /// After any input or submitted response: send what nghttp2 has, close when it is done,
    /// and keep the right timer armed.
    func afterIO() {
        guard phase == .open else { return }
        // Most reads queue no frame of ours (the answer comes once the handler returns): then
        // there is nothing to pull, and asking nghttp2 to serialise nothing costs a call.
        if hasUnsentOutput || nghttp2_session_want_write(session.raw) != 0 { flush() }
        guard phase == .open else { return }
        if nghttp2_session_want_read(session.raw) == 0 && nghttp2_session_want_write(session.raw) == 0
            && outboundOffset >= outbound.count {
            beginLinger()
            return
        }
        updateTimer()
    }

    /// Moves frames from nghttp2 to the socket until either has nothing more or the socket is full.
    private func flush() {
        while phase != .closed {
            guard fillOutbound() else {
                close()
                return
            }
            guard outboundOffset < outbound.count else { break }
            let written = write()
            guard phase != .closed else { return }
            outboundOffset += written
            guard outboundOffset >= outbound.count else { break }  // the socket is full: wait for writable
            if outbound.capacity > 4 * Self.outboundHighWater { outbound = [] } else { outbound.removeAll(keepingCapacity: true) }
            outboundOffset = 0
        }
    }

    /// Pulls serialised frames from nghttp2 into `outbound` up to the high-water mark.
    private func fillOutbound() -> Bool {
        while outbound.count - outboundOffset < Self.outboundHighWater {
            var data: UnsafePointer<UInt8>?
            let count = nghttp2_session_mem_send(session.raw, &data)
            if count < 0 { return false }
            guard count > 0, let data else { return true }
            if outboundOffset > 0 && outboundOffset >= outbound.count / 2 {
                outbound.removeSubrange(0..<outboundOffset)
                outboundOffset = 0
            }
            outbound.append(contentsOf: UnsafeBufferPointer(start: data, count: count))
        }
        return true
    }

    /// Writes from `outbound` until done or `.wouldBlock`; returns the count. Closes on error.
    private func write() -> Int {
        var written = 0
        let pending = outbound.count - outboundOffset
        while written < pending {
            let outcome = outbound.withUnsafeBytes { raw in
                Result { () throws(SocketError) -> IOOutcome in
                    try stream.write(UnsafeRawBufferPointer(rebasing: raw[(outboundOffset + written)...]))
                }
            }
            switch outcome {
            case .success(.transferred(let count)): written += count
            case .success(.wouldBlock): return written
            case .success(.closed), .failure:
                close()
                return written
            }
        }
        if written > 0 { lastWrite = MonotonicClock.now() }
        return written
    }

    // MARK: - Closing

    private func beginLinger() {
        phase = .lingering
        stream.closeWrite()
        context.loop.setDeadline(MonotonicClock.deadline(after: configuration.lingerTimeout), for: fd)
        pump()
    }

    func close() {
        guard phase != .closed else { return }
        phase = .closed
        context.loop.deregister(fd: fd)
        stream.close()
        outbound = []
        for stream in streams.values {
            stream.handlerTask?.cancel()  // nobody will read the answer
            stream.failDrainWaiter()
        }
        streams = [:]
        recent = nil
        context.connectionClosed(self)
    }
}
