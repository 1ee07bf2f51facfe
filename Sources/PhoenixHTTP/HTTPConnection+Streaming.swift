import HTTPTypes
import PhoenixSockets

/// A streamed body waits for the client once this many bytes are queued.
private let streamHighWater = 256 * 1024

extension HTTPConnection: ResponseBodySink {
    /// Sends the head, then runs the producer as its own task on this loop.
    func startStream(_ response: Response, producer: @escaping @Sendable (ResponseBodyWriter) async throws -> Void) {
        isChunkedStream = framing.version == .http1_1
        if !isChunkedStream { framing.keepAlive = false }  // a 1.0 body can only end at close
        var buffer = context.takeEncodeBuffer()
        let sendsBody = ResponseEncoder.encodeHead(
            response, delimiter: isChunkedStream ? .chunked : .close, framing: framing,
            date: context.shared.date.current(), into: &buffer)
        queue(buffer)
        context.returnEncodeBuffer(buffer)
        guard sendsBody, phase == .handling else {
            if phase == .handling { phase = .writing }
            completeIfFlushed()
            return
        }
        phase = .streaming
        let loop = context.loop
        handlerTask = Task(executorPreference: loop) {
            var succeeded = true
            do {
                try await producer(ResponseBodyWriter(sink: self))
            } catch {
                succeeded = false
            }
            let finish: @Sendable () -> Void = { [succeeded] in self.endStream(succeeded: succeeded) }
            if loop.inEventLoop { finish() } else { loop.execute(finish) }
        }
    }

    func writeBodyPiece(_ bytes: [UInt8]) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let append: @Sendable () -> Void = { self.appendPiece(bytes, continuation: continuation) }
            if context.loop.inEventLoop { append() } else { context.loop.execute(append) }
        }
    }

    private func appendPiece(_ bytes: [UInt8], continuation: CheckedContinuation<Void, any Error>) {
        guard phase == .streaming else {
            continuation.resume(throwing: HTTPError(.badRequest, detail: "the client closed the connection"))
            return
        }
        queue(isChunkedStream ? ResponseEncoder.chunk(bytes) : bytes)
        guard phase == .streaming else {
            continuation.resume(throwing: HTTPError(.badRequest, detail: "the client closed the connection"))
            return
        }
        if outbound.count - outboundOffset > streamHighWater {
            drainWaiter = continuation
            setDeadline(after: context.shared.configuration.writeTimeout)
        } else {
            continuation.resume()
        }
    }

    /// Ends the body: the last chunk after success; after a failure, the connection is closed so
    /// the client cannot mistake a cut-off body for a complete one.
    private func endStream(succeeded: Bool) {
        guard phase == .streaming else { return }
        handlerTask = nil
        guard succeeded else {
            close()
            return
        }
        if isChunkedStream { queue(ResponseEncoder.lastChunk) }
        phase = .writing
        completeIfFlushed()
    }

    /// Called when the queue has drained: lets a waiting producer continue.
    func resumeStreamIfWaiting() {
        guard let waiter = drainWaiter else { return }
        drainWaiter = nil
        context.loop.setDeadline(nil, for: fd)
        waiter.resume()
    }

    /// Called on close: a waiting producer learns that the client is gone.
    func failStreamIfWaiting() {
        guard let waiter = drainWaiter else { return }
        drainWaiter = nil
        waiter.resume(throwing: HTTPError(.badRequest, detail: "the client closed the connection"))
    }
}
