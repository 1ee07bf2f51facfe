import CNGHTTP2
import HTTPTypes
import Logging
import PhoenixHTTP
import PhoenixSockets

/// Requests arriving: what the nghttp2 callbacks report, turned into `Request`s for the
/// responder. Called only from inside `nghttp2_session_mem_recv`, so nothing here flushes.
extension HTTP2Connection {
    func beginRequest(streamID: Int32) {
        guard lookup(streamID) == nil else { return }
        let stream = HTTP2Stream(id: streamID, now: MonotonicClock.now())
        streams[streamID] = stream
        recent = stream
    }

    func receiveField(streamID: Int32, name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) {
        guard let stream = lookup(streamID), stream.state == .receiving else { return }
        stream.head.add(name: name, value: value, limits: configuration.limits)
    }

    func receiveBody(streamID: Int32, _ bytes: UnsafeBufferPointer<UInt8>) {
        guard let stream = lookup(streamID) else { return }
        guard stream.state == .receiving else { return discard(bytes.count, of: stream) }
        if stream.body.count + bytes.count > configuration.limits.maxBodyBytes {
            return refuse(stream, HTTPParseError.bodyTooLarge)
        }
        if bufferedBodyBytes + bytes.count > settings.maxBufferedBodyBytes {
            // RFC 9113 §8.7: REFUSED_STREAM says the request was not processed and may be retried.
            releaseBody(of: stream)
            _ = nghttp2_submit_rst_stream(session.raw, UInt8(NGHTTP2_FLAG_NONE.rawValue), stream.id, NGHTTP2_REFUSED_STREAM.rawValue)
            return
        }
        stream.body.append(contentsOf: bytes)
        stream.bufferedBodyBytes += bytes.count
        bufferedBodyBytes += bytes.count
    }

    func frameReceived(_ frame: nghttp2_frame) {
        let isEndStream = frame.hd.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0
        switch UInt32(frame.hd.type) {
        case NGHTTP2_HEADERS.rawValue:
            guard let stream = lookup(frame.hd.stream_id), stream.state == .receiving else { return }
            if frame.headers.cat == NGHTTP2_HCAT_REQUEST { headReceived(stream, isEndStream: isEndStream) }
            if isEndStream && stream.state == .receiving { dispatch(stream) }
        case NGHTTP2_DATA.rawValue:
            guard isEndStream, let stream = lookup(frame.hd.stream_id), stream.state == .receiving else { return }
            dispatch(stream)
        case NGHTTP2_RST_STREAM.rawValue:
            if !resets.allowsReset(now: MonotonicClock.now()) {
                context.shared.logger.debug("http2 rapid reset: goaway", metadata: ["peer.address": "\(peer.map { "\($0)" } ?? "-")"])
                terminate(NGHTTP2_ENHANCE_YOUR_CALM)
            }
        default:
            break
        }
    }

    /// The head is complete: refuse now what the limits forbid, rather than after the body.
    private func headReceived(_ stream: HTTP2Stream, isEndStream: Bool) {
        if let failure = stream.head.failure { return refuse(stream, failure) }
        if let length = stream.head.contentLength, length > configuration.limits.maxBodyBytes {
            return refuse(stream, .bodyTooLarge)
        }
        if stream.head.expectsContinue && !isEndStream {
            var interim = ResponseHeaderBlock(status: 100)
            _ = interim.withNameValues { pairs, count in
                nghttp2_submit_headers(session.raw, UInt8(NGHTTP2_FLAG_NONE.rawValue), stream.id, nil, pairs, count, nil)
            }
        }
    }

    /// Answers with the error's status before the request is complete. The rest of an upload is
    /// read and dropped: RFC 9113 §8.1 would allow RST_STREAM(NO_ERROR) after the answer, but
    /// curl reports that as a failed transfer (error 92) and loses the 413.
    private func refuse(_ stream: HTTP2Stream, _ error: HTTPParseError) {
        releaseBody(of: stream)
        stream.state = .handling
        respond(stream, with: ProblemDetails(status: error.status, detail: error.description).response)
    }

    /// Body bytes after a refusal are dropped; a client that keeps sending far more than the
    /// limit (an endless upload) is cut off with RST_STREAM(CANCEL).
    private func discard(_ count: Int, of stream: HTTP2Stream) {
        stream.discardedBodyBytes += count
        if stream.discardedBodyBytes > 16 * configuration.limits.maxBodyBytes {
            _ = nghttp2_submit_rst_stream(session.raw, UInt8(NGHTTP2_FLAG_NONE.rawValue), stream.id, NGHTTP2_CANCEL.rawValue)
        }
    }

    private func releaseBody(of stream: HTTP2Stream) {
        bufferedBodyBytes -= stream.bufferedBodyBytes
        stream.bufferedBodyBytes = 0
        stream.body = []
    }

    /// Runs the responder for a complete request as a task on this loop, as HTTP/1.1 does.
    private func dispatch(_ stream: HTTP2Stream) {
        let head: HTTPRequest
        do {
            head = try stream.head.makeRequest()
        } catch {
            return refuse(stream, error)
        }
        stream.state = .handling
        stream.isHead = head.method == .head
        let request = Request(head: head, body: stream.body, version: .http1_1)
        stream.body = []
        let responder = context.shared.responder
        let requestContext = RequestContext(peer: peer, logger: context.shared.logger)
        let loop = context.loop
        let id = stream.id
        stream.handlerTask = Task(executorPreference: loop) {
            let response = await responder.respond(to: request, context: requestContext)
            if loop.inEventLoop {
                self.handlerFinished(streamID: id, response: response)
            } else {
                loop.execute { self.handlerFinished(streamID: id, response: response) }
            }
        }
    }

    func streamClosed(streamID: Int32) {
        if recent?.id == streamID { recent = nil }
        guard let stream = streams.removeValue(forKey: streamID) else { return }
        releaseBody(of: stream)
        if stream.state == .sending { requestsServed += 1 }
        stream.handlerTask?.cancel()  // a reset stream: a handler still awaiting learns nobody listens
        stream.handlerTask = nil
        stream.failDrainWaiter()
    }
}
