import HTTPTypes
import PhoenixSockets

extension HTTPConnection {
    // MARK: - Responding

    func dispatch(_ request: Request, keepAlive: Bool) {
        phase = .handling
        hasRequestStarted = false
        context.loop.setDeadline(nil, for: fd)
        framing = .init(version: request.version, isHead: request.method == .head,
                        keepAlive: keepAlive && !context.shared.isShuttingDown)
        let responder = context.shared.responder
        let requestContext = RequestContext(peer: peer, logger: context.shared.logger)
        let loop = context.loop
        Task(executorPreference: loop) {
            let response = await responder.respond(to: request, context: requestContext)
            if loop.inEventLoop {
                self.send(response)
            } else {
                loop.execute { self.send(response) }
            }
        }
    }

    /// Answers a request that could not be parsed or arrived too slowly, then closes.
    func reject(status: HTTPResponse.Status, detail: String) {
        hasRequestStarted = false
        framing = .init(version: .http1_1, isHead: false, keepAlive: false)
        phase = .handling
        send(ProblemDetails(status: status, detail: detail).response)
    }

    private func send(_ response: Response) {
        guard phase == .handling else { return }  // closed while the handler ran
        phase = .writing
        var buffer = context.takeEncodeBuffer()
        ResponseEncoder.encode(response, framing: framing, date: context.shared.date.current(), into: &buffer)
        if outboundOffset < outbound.count {
            outbound.append(contentsOf: buffer)  // behind a 100 Continue still queued
        } else {
            let written = write(buffer)
            if written < buffer.count, phase != .closed {
                outbound = Array(buffer[written...])
                outboundOffset = 0
            }
        }
        context.returnEncodeBuffer(buffer)
        if phase == .writing, outboundOffset >= outbound.count {
            finishExchange()
        } else if phase == .writing {
            setDeadline(after: context.shared.configuration.writeTimeout)
        }
    }

    /// Queues a small interim response (100 Continue) ahead of anything else.
    func enqueue(_ bytes: [UInt8]) {
        if outboundOffset < outbound.count {
            outbound.append(contentsOf: bytes)
            return
        }
        let written = write(bytes)
        if written < bytes.count, phase != .closed {
            outbound = Array(bytes[written...])
            outboundOffset = 0
        }
    }

    /// Writes what it can of `bytes` now; returns the count written. Closes on a write error.
    private func write(_ bytes: [UInt8]) -> Int {
        var written = 0
        while written < bytes.count {
            let outcome = bytes.withUnsafeBytes { raw in
                Result { () throws(SocketError) -> IOOutcome in
                    try stream.write(UnsafeRawBufferPointer(rebasing: raw[written...]))
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
        return written
    }

    /// Sends what is queued; on a writable event after a partial write.
    func flush() {
        let pending = Array(outbound[outboundOffset...])
        let written = write(pending)
        outboundOffset += written
        guard outboundOffset >= outbound.count else { return }
        outbound = []
        outboundOffset = 0
        if phase == .writing { finishExchange() }
    }

    private func finishExchange() {
        requestsServed += 1
        guard framing.keepAlive && !context.shared.isShuttingDown else {
            beginLinger()
            return
        }
        phase = .reading
        idleSince = MonotonicClock.now()
        setDeadline(after: context.shared.configuration.idleTimeout)
        if !inbound.isEmpty { processBuffered() }
        if phase == .reading { pump() }
    }

    /// Closes our side, then drains the client's unread input for a moment so the kernel does
    /// not answer it with a reset that could destroy the response in flight (RFC 9112 §9.6).
    private func beginLinger() {
        phase = .lingering
        inbound = []
        inboundStart = 0
        stream.closeWrite()
        setDeadline(after: context.shared.configuration.lingerTimeout)
        pump()
    }

    func setDeadline(after duration: Duration) {
        context.loop.setDeadline(MonotonicClock.deadline(after: duration), for: fd)
    }

    /// Closes the connection and forgets it; later calls do nothing.
    func close() {
        guard phase != .closed else { return }
        phase = .closed
        context.loop.deregister(fd: fd)
        stream.close()
        outbound = []
        context.connectionClosed(self)
    }
}
