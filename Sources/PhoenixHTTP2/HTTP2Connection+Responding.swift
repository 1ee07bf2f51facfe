import CNGHTTP2
import HTTPTypes
import Logging
import PhoenixHTTP
import PhoenixSockets

/// Responses leaving: the head as HEADERS, the body as DATA frames that nghttp2 pulls through
/// `readBody` as the client's flow-control windows open.
extension HTTP2Connection {
    /// A handler's answer, back on the loop.
    func handlerFinished(streamID: Int32, response: Response) {
        guard phase == .open, let stream = lookup(streamID), stream.state == .handling else { return }  // reset meanwhile
        stream.handlerTask = nil
        respond(stream, with: response)
        // With nothing else in the batch, the write happens now rather than through a deferred
        // closure. With more, the writes wait for the batch's end: other streams' answers
        // join them, and with many connections their handlers run back to back, then their
        // writes (measured cheaper than alternating the two).
        if context.loop.isLastInBatch && !isFlushScheduled { afterIO() } else { flushAfterBatch() }
    }

    /// Writes once the loop's current batch of work is done: the handlers of this connection's
    /// other streams that finish in the same batch then leave in the same write.
    private func flushAfterBatch() {
        guard !isFlushScheduled else { return }
        isFlushScheduled = true
        context.loop.executeAfterBatch {
            self.isFlushScheduled = false
            self.afterIO()
        }
    }

    /// Submits `response` on `stream`; a streamed body starts its producer. Does not flush.
    func respond(_ stream: HTTP2Stream, with response: Response) {
        stream.state = .sending
        stream.lastProgress = MonotonicClock.now()
        let code = response.status.code
        let isBodyAllowed = !(100..<200).contains(code) && code != 204 && code != 304
        let date = context.shared.date.current()
        switch response.body {
        case .bytes(let body):
            var head = ResponseHeaderBlock(status: code, fields: response.headerFields,
                                           contentLength: isBodyAllowed || code == 304 ? body.count : nil, date: date)
            let sendsBody = isBodyAllowed && !stream.isHead && !body.isEmpty
            if sendsBody {
                stream.queue(body, now: stream.lastProgress)
                stream.isBodyComplete = true
            }
            submit(&head, on: stream, withBody: sendsBody)
        case .stream(let producer):
            var head = ResponseHeaderBlock(status: code, fields: response.headerFields, contentLength: nil, date: date)
            let sendsBody = isBodyAllowed && !stream.isHead
            submit(&head, on: stream, withBody: sendsBody)
            if sendsBody { startProducer(producer, on: stream) }
        }
    }

    private func submit(_ head: inout ResponseHeaderBlock, on stream: HTTP2Stream, withBody: Bool) {
        let submitted = head.withNameValues { pairs, count in
            if withBody {
                withUnsafePointer(to: NGHTTP2Callbacks.bodyProvider) { nghttp2_submit_response(session.raw, stream.id, pairs, count, $0) }
            } else {
                nghttp2_submit_response(session.raw, stream.id, pairs, count, nil)
            }
        }
        if submitted != 0 {  // the stream closed under us (a reset crossing the answer)
            context.shared.logger.debug("http2 response not submitted", metadata: [
                "http2.stream": "\(stream.id)", "error.type": "\(HTTP2Error(operation: "nghttp2_submit_response", code: submitted))",
            ])
        }
    }

    /// nghttp2 asks for up to `length` bytes of a stream's body (from `NGHTTP2Callbacks.bodyProvider`).
    func readBody(streamID: Int32, into buffer: UnsafeMutablePointer<UInt8>, length: Int, flags: UnsafeMutablePointer<UInt32>) -> Int {
        guard let stream = lookup(streamID) else { return Int(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue) }
        let count = min(length, stream.unsentBytes)
        if count > 0 {
            stream.pending.withUnsafeBytes { raw in
                UnsafeMutableRawPointer(buffer).copyMemory(from: raw.baseAddress! + stream.pendingOffset, byteCount: count)
            }
            stream.pendingOffset += count
            stream.lastProgress = MonotonicClock.now()
        }
        if stream.unsentBytes <= settings.streamHighWater { stream.resumeDrainWaiter() }
        if stream.unsentBytes == 0 {
            stream.pending = []
            stream.pendingOffset = 0
            if stream.isBodyComplete {
                flags.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue
            } else if count == 0 {
                return Int(NGHTTP2_ERR_DEFERRED.rawValue)  // `resume_data` when the producer writes
            }
        }
        return count
    }

    // MARK: - Streamed bodies

    private func startProducer(_ producer: @escaping @Sendable (ResponseBodyWriter) async throws -> Void, on stream: HTTP2Stream) {
        let loop = context.loop
        let id = stream.id
        let sink = HTTP2BodySink(connection: self, streamID: id)
        stream.handlerTask = Task(executorPreference: loop) {
            var succeeded = true
            do {
                try await producer(ResponseBodyWriter(sink: sink))
            } catch {
                succeeded = false
            }
            let finish: @Sendable () -> Void = { [succeeded] in self.endBody(streamID: id, succeeded: succeeded) }
            if loop.inEventLoop { finish() } else { loop.execute(finish) }
        }
    }

    /// Queues a piece from the producer; the producer waits while the stream holds too much.
    func appendPiece(_ bytes: [UInt8], streamID: Int32, continuation: CheckedContinuation<Void, any Error>) {
        guard phase == .open, let stream = lookup(streamID), stream.state == .sending else {
            continuation.resume(throwing: HTTPError(.badRequest, detail: "the client reset the stream"))
            return
        }
        stream.queue(bytes, now: MonotonicClock.now())
        _ = nghttp2_session_resume_data(session.raw, streamID)
        if stream.unsentBytes > settings.streamHighWater {
            stream.drainWaiter = continuation
        } else {
            continuation.resume()
        }
        afterIO()
    }

    /// The producer returned or threw. After a failure the stream is reset (INTERNAL_ERROR), so
    /// the client cannot mistake a cut-off body for a complete one.
    private func endBody(streamID: Int32, succeeded: Bool) {
        guard phase == .open, let stream = lookup(streamID), stream.state == .sending else { return }
        stream.handlerTask = nil
        if succeeded {
            stream.isBodyComplete = true
            _ = nghttp2_session_resume_data(session.raw, streamID)
        } else {
            _ = nghttp2_submit_rst_stream(session.raw, UInt8(NGHTTP2_FLAG_NONE.rawValue), streamID, NGHTTP2_INTERNAL_ERROR.rawValue)
        }
        afterIO()
    }
}

/// Where a streamed response body goes on HTTP/2: its stream, reached on the connection's loop.
struct HTTP2BodySink: ResponseBodySink {
    let connection: HTTP2Connection
    let streamID: Int32

    func writeBodyPiece(_ bytes: [UInt8]) async throws {
        let connection = connection
        let streamID = streamID
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let append: @Sendable () -> Void = { connection.appendPiece(bytes, streamID: streamID, continuation: continuation) }
            if connection.context.loop.inEventLoop { append() } else { connection.context.loop.execute(append) }
        }
    }
}
