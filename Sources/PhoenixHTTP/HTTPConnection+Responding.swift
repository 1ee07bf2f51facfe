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
        handlerTask = Task(executorPreference: loop) {
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

    func send(_ response: Response) {
        guard phase == .handling else { return }  // closed while the handler ran
        handlerTask = nil
        // Shutdown may have begun while the handler ran, before this loop's turn to mark its
        // connections: the answer still says `Connection: close`, as the connection will.
        if context.shared.isShuttingDown { framing.keepAlive = false }
        switch response.body {
        case .bytes(let body):
            phase = .writing
            var buffer = context.takeEncodeBuffer()
            ResponseEncoder.encode(response, body: body, framing: framing, date: context.shared.date.current(), into: &buffer)
            queue(buffer)
            context.returnEncodeBuffer(buffer)
            completeIfFlushed()
        case .stream(let producer):
            startStream(response, producer: producer)
        }
    }

    /// Writes `bytes` now if nothing is queued, and queues what the socket does not take.
    func queue(_ bytes: [UInt8]) {
        if outboundOffset < outbound.count {
            outbound.append(contentsOf: bytes)
            return
        }
        let written = write(bytes[...])
        if written < bytes.count, phase != .closed {
            outbound = Array(bytes[written...])
            outboundOffset = 0
        }
    }

    /// Finishes the exchange once a whole response has left; otherwise waits for the socket.
    func completeIfFlushed() {
        guard phase == .writing else { return }
        if outboundOffset >= outbound.count {
            finishExchange()
        } else {
            setDeadline(after: context.shared.configuration.writeTimeout)
        }
    }

    /// Writes what it can of `bytes` now; returns the count written. Closes on a write error.
    func write(_ bytes: ArraySlice<UInt8>) -> Int {
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
        let written = write(outbound[outboundOffset...])
        guard phase != .closed else { return }
        outboundOffset += written
        guard outboundOffset >= outbound.count else { return }
        outbound = []
        outboundOffset = 0
        resumeStreamIfWaiting()
        if phase == .writing { finishExchange() }
    }

    func finishExchange() {
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
        handlerTask?.cancel()  // a handler still awaiting I/O learns that nobody will read its answer
        handlerTask = nil
        failStreamIfWaiting()
        context.connectionClosed(self)
    }
}
