import HTTPTypes

extension Transfer {
    /// A waiter to resume once the lock is released (STYLE: lock → decide → unlock → act).
    enum Resumption {
        case head(CheckedContinuation<HTTPResponse, any Error>, Result<HTTPResponse, TransferFailure>)
        case body(CheckedContinuation<[UInt8]?, any Error>, Result<[UInt8]?, TransferFailure>)
        case upload(CheckedContinuation<Void, any Error>, Result<Void, TransferFailure>)

        func perform() {
            switch self {
            case .head(let waiter, let result): waiter.resume(with: result.mapError(\.error))
            case .body(let waiter, let result): waiter.resume(with: result.mapError(\.error))
            case .upload(let waiter, let result): waiter.resume(with: result.mapError(\.error))
            }
        }
    }

    /// What curl's write callback should answer.
    enum BodyDecision: Equatable { case accept, pause, abort }

    /// What curl's read callback should answer.
    enum UploadDecision: Equatable { case bytes(Int), endOfBody, pause, abort }

    /// Everything one transfer shares between the loop thread (curl callbacks) and the caller's
    /// tasks. Each waiter is stored at most once and taken out when resumed, so every
    /// continuation is resumed exactly once; `outcome` is set once and is final.
    struct StateMachine {
        let streamBufferBytes: Int
        let declaredLength: Int64?
        /// A body in memory: kept after sending so curl can rewind it (CURLOPT_SEEKFUNCTION).
        let isFixedBody: Bool

        private var parser = ResponseHeadParser()
        private(set) var head: HTTPResponse?
        private var headWaiter: CheckedContinuation<HTTPResponse, any Error>?

        private(set) var body: [UInt8] = []
        private var bodyWaiter: CheckedContinuation<[UInt8]?, any Error>?
        private(set) var isReceivePaused = false

        private var upload: [UInt8]
        private var uploadOffset = 0
        private var queuedPiece: [UInt8]?
        private var uploadWaiter: CheckedContinuation<Void, any Error>?
        private var isUploadComplete: Bool
        private var producedBytes: Int64 = 0
        private(set) var isSendPaused = false

        /// A `.resume` command is on its way to the loop; no need to send another.
        private var isResumeQueued = false
        private(set) var outcome: Result<TransferMetrics, TransferFailure>?
        private(set) var bytesReceived: Int64 = 0
        private(set) var bytesSent: Int64 = 0
        private var peakReceive = 0
        private var peakSend = 0

        init(body: HTTPClientRequest.Body, streamBufferBytes: Int) {
            self.streamBufferBytes = streamBufferBytes
            declaredLength = body.length
            switch body {
            case .none:
                (upload, isUploadComplete, isFixedBody) = ([], true, true)
            case .bytes(let bytes):
                (upload, isUploadComplete, isFixedBody) = (bytes, true, true)
                peakSend = bytes.count
            case .stream:
                (upload, isUploadComplete, isFixedBody) = ([], false, false)
            }
        }

        var isPaused: Bool { isReceivePaused || isSendPaused }
        var bytesMoved: Int64 { bytesReceived + bytesSent }
        private var endedError: TransferFailure {
            if case .failure(let failure) = outcome { return failure }
            return .client(HTTPClientError(.cancelled, "the transfer ended before the request body was sent"))
        }

        // MARK: - Loop thread (curl callbacks and commands)

        mutating func receiveHeaderLine(_ line: UnsafeRawBufferPointer) -> Resumption? {
            guard outcome == nil, head == nil, let parsed = parser.consume(line) else { return nil }
            head = parsed
            guard let waiter = headWaiter else { return nil }
            headWaiter = nil
            return .head(waiter, .success(parsed))
        }

        /// Takes a piece of the body, or pauses curl while the consumer is too far behind.
        mutating func receiveBody(_ bytes: UnsafeRawBufferPointer) -> (BodyDecision, Resumption?) {
            guard outcome == nil else { return (.abort, nil) }
            if let waiter = bodyWaiter {
                bodyWaiter = nil
                bytesReceived += Int64(bytes.count)
                peakReceive = max(peakReceive, bytes.count)
                return (.accept, .body(waiter, .success(Array(bytes))))
            }
            // Always accept into an empty buffer, so one oversized piece cannot wedge the stream.
            if !body.isEmpty && body.count + bytes.count > streamBufferBytes {
                isReceivePaused = true
                return (.pause, nil)
            }
            body.append(contentsOf: bytes)
            bytesReceived += Int64(bytes.count)
            peakReceive = max(peakReceive, body.count)
            return (.accept, nil)
        }

        /// Copies the next request bytes into curl's buffer.
        mutating func provideUpload(into buffer: UnsafeMutableRawBufferPointer) -> (UploadDecision, Resumption?) {
            guard outcome == nil else { return (.abort, nil) }
            guard uploadOffset < upload.count else {
                if isUploadComplete { return (.endOfBody, nil) }
                isSendPaused = true
                return (.pause, nil)
            }
            let count = min(buffer.count, upload.count - uploadOffset)
            upload.withUnsafeBytes { source in
                buffer.baseAddress?.copyMemory(from: source.baseAddress! + uploadOffset, byteCount: count)
            }
            uploadOffset += count
            bytesSent += Int64(count)
            guard uploadOffset == upload.count, !isFixedBody else { return (.bytes(count), nil) }
            upload = queuedPiece ?? []
            uploadOffset = 0
            guard queuedPiece != nil, let waiter = uploadWaiter else { return (.bytes(count), nil) }
            queuedPiece = nil
            uploadWaiter = nil
            return (.bytes(count), .upload(waiter, .success(())))
        }

        /// Whether curl may start the body again (a retry on a fresh connection).
        mutating func rewindUpload() -> Bool {
            if isFixedBody {
                uploadOffset = 0
                bytesSent = 0
                return true
            }
            return bytesSent == 0
        }

        /// The pause mask for curl_easy_pause once the reasons for pausing are gone, or nil when
        /// nothing changed. curl_easy_pause sets the whole state, so the mask keeps the other
        /// direction paused if it still must be.
        mutating func resumeMask(recv: Int32, send: Int32) -> Int32? {
            isResumeQueued = false
            guard outcome == nil else { return nil }
            var changed = false
            if isReceivePaused && body.count <= streamBufferBytes / 2 {
                isReceivePaused = false
                changed = true
            }
            if isSendPaused && (uploadOffset < upload.count || isUploadComplete) {
                isSendPaused = false
                changed = true
            }
            guard changed else { return nil }
            return (isReceivePaused ? recv : 0) | (isSendPaused ? send : 0)
        }

        /// Ends the transfer (finished, failed or cancelled) and collects every waiter.
        mutating func complete(_ result: Result<TransferMetrics, TransferFailure>) -> [Resumption] {
            guard outcome == nil else { return [] }
            var result = result
            if case .success(var metrics) = result {
                if head == nil {
                    result = .failure(.client(HTTPClientError(.invalidResponse, "the server sent no response head")))
                } else {
                    metrics.bytesReceived = bytesReceived
                    metrics.bytesSent = bytesSent
                    metrics.peakReceiveBufferBytes = peakReceive
                    metrics.peakSendBufferBytes = peakSend
                    result = .success(metrics)
                }
            }
            outcome = result
            var resumptions: [Resumption] = []
            if let waiter = headWaiter {
                resumptions.append(.head(waiter, head.map { .success($0) } ?? .failure(endedError)))
            }
            if let waiter = bodyWaiter {
                resumptions.append(.body(waiter, result.map { _ in nil }))
            }
            if let waiter = uploadWaiter {
                resumptions.append(.upload(waiter, .failure(endedError)))
            }
            (headWaiter, bodyWaiter, uploadWaiter, queuedPiece) = (nil, nil, nil, nil)
            return resumptions
        }
        // MARK: - Caller tasks

        /// The head once known, or the failure that ended the transfer before it; nil to wait.
        func headResult() -> Result<HTTPResponse, TransferFailure>? {
            if let head { return .success(head) }
            return outcome == nil ? nil : .failure(endedError)
        }

        mutating func awaitHead(_ waiter: CheckedContinuation<HTTPResponse, any Error>) -> Resumption? {
            if let result = headResult() { return .head(waiter, result) }
            headWaiter = waiter
            return nil
        }

        /// The buffered body (nil at its end), the failure, or nil to wait. A failure wins over
        /// buffered bytes: a truncated body must not look like a shorter complete one.
        mutating func takeBodyPiece() -> (result: Result<[UInt8]?, TransferFailure>?, needsResume: Bool) {
            if case .failure(let error) = outcome { return (.failure(error), false) }
            if !body.isEmpty {
                let piece = body
                body = []
                return (.success(piece), queueResume(isReceivePaused))
            }
            return (outcome == nil ? nil : .success(nil), false)
        }

        mutating func awaitBodyPiece(_ waiter: CheckedContinuation<[UInt8]?, any Error>) -> (Resumption?, needsResume: Bool) {
            let (result, needsResume) = takeBodyPiece()
            if let result { return (.body(waiter, result), needsResume) }
            guard bodyWaiter == nil else {
                let error = HTTPClientError(.invalidRequest, "the response body is read by two tasks at once")
                return (.body(waiter, .failure(.client(error))), false)
            }
            bodyWaiter = waiter
            return (nil, false)
        }

        /// Places a producer's piece: at once when curl has taken the previous one, otherwise
        /// queued with the writer waiting, so at most two pieces are ever held.
        mutating func write(_ piece: [UInt8], _ waiter: CheckedContinuation<Void, any Error>)
            -> (Resumption?, needsResume: Bool, failure: HTTPClientError?)
        {
            guard outcome == nil else { return (.upload(waiter, .failure(endedError)), false, nil) }
            guard uploadWaiter == nil, !isUploadComplete else {
                let error = HTTPClientError(.requestBodyFailed, "the request body was written after it ended or from two tasks")
                return (.upload(waiter, .failure(.client(error))), false, error)
            }
            producedBytes += Int64(piece.count)
            if let declaredLength, producedBytes > declaredLength {
                let error = HTTPClientError(.requestBodyFailed, "the request body is longer than its declared length")
                return (.upload(waiter, .failure(.client(error))), false, error)
            }
            if uploadOffset >= upload.count {
                (upload, uploadOffset) = (piece, 0)
                peakSend = max(peakSend, piece.count)
                return (.upload(waiter, .success(())), queueResume(isSendPaused), nil)
            }
            queuedPiece = piece
            uploadWaiter = waiter
            peakSend = max(peakSend, upload.count - uploadOffset + piece.count)
            return (nil, false, nil)
        }

        /// The producer is done; curl gets end-of-body once the last piece is sent.
        mutating func finishUpload() -> (needsResume: Bool, failure: HTTPClientError?) {
            guard outcome == nil, !isUploadComplete else { return (false, nil) }
            if let declaredLength, producedBytes != declaredLength {
                return (false, HTTPClientError(.requestBodyFailed, "the request body is shorter than its declared length"))
            }
            isUploadComplete = true
            return (queueResume(isSendPaused), nil)
        }

        private mutating func queueResume(_ isPaused: Bool) -> Bool {
            guard isPaused, !isResumeQueued, outcome == nil else { return false }
            isResumeQueued = true
            return true
        }
    }
}
