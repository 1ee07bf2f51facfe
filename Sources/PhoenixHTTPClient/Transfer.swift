import CCurl
import HTTPTypes
import Synchronization

/// One request in flight: the bridge between the caller's tasks and curl's callbacks on the
/// loop thread.
///
/// Callers wait for the head, body pieces and upload room through continuations; the loop thread
/// feeds and drains the same `StateMachine` from curl's callbacks. Anything that must touch the
/// easy handle (removing it, un-pausing it) is sent to the loop as a command.
final class Transfer: Sendable {
    let request: HTTPClientRequest
    let timeouts: HTTPClientTimeouts
    private let state: Mutex<StateMachine>
    private let loop: MultiLoop

    init(request: HTTPClientRequest, configuration: HTTPClientConfiguration, loop: MultiLoop) {
        self.request = request
        timeouts = request.timeouts ?? configuration.timeouts
        state = Mutex(StateMachine(body: request.body, streamBufferBytes: configuration.streamBufferBytes))
        self.loop = loop
    }

    // MARK: - Caller tasks

    /// Waits for the final response head.
    func head() async throws -> HTTPResponse {
        if let result = state.withLock({ $0.headResult() }) { return try result.mapError(\.error).get() }
        return try await waiting { waiter in
            state.withLock { $0.awaitHead(waiter) }?.perform()
        }
    }

    /// The next piece of the response body, nil at its end.
    func nextBodyPiece() async throws -> [UInt8]? {
        if Task.isCancelled {
            fail(CancellationError())
            throw CancellationError()
        }
        let (result, needsResume) = state.withLock { $0.takeBodyPiece() }
        if needsResume { loop.submit(.resume(self)) }
        if let result { return try result.mapError(\.error).get() }
        return try await waiting { waiter in
            let (resumption, needsResume) = state.withLock { $0.awaitBodyPiece(waiter) }
            if needsResume { loop.submit(.resume(self)) }
            resumption?.perform()
        }
    }

    /// Hands a piece of the request body to curl; waits while the previous one is queued.
    func write(_ piece: [UInt8]) async throws {
        try await waiting { (waiter: CheckedContinuation<Void, any Error>) in
            let (resumption, needsResume, failure) = state.withLock { $0.write(piece, waiter) }
            if needsResume { loop.submit(.resume(self)) }
            resumption?.perform()
            if let failure { fail(failure) }
        }
    }

    /// The producer returned: the body is complete.
    func finishUpload() {
        let (needsResume, failure) = state.withLock { $0.finishUpload() }
        if needsResume { loop.submit(.resume(self)) }
        if let failure { fail(failure) }
    }

    /// Ends the transfer with `error` (cancellation, a producer or handler failure) unless it
    /// has ended already, and asks the loop to remove the easy handle.
    func fail(_ error: any Error) {
        let failure = TransferFailure(error)
        let (wasRunning, resumptions) = state.withLock { ($0.outcome == nil, $0.complete(.failure(failure))) }
        if wasRunning { loop.submit(.remove(self)) }
        for resumption in resumptions { resumption.perform() }
    }

    /// The metrics of a transfer that finished successfully.
    var metrics: TransferMetrics? {
        state.withLock { state in
            guard case .success(let metrics) = state.outcome else { return nil }
            return metrics
        }
    }

    /// Response bytes received and not yet taken.
    var bufferedByteCount: Int {
        state.withLock { $0.body.count }
    }

    private func waiting<T>(_ register: (CheckedContinuation<T, any Error>) -> Void) async throws -> T {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { register($0) }
        } onCancel: {
            fail(CancellationError())
        }
    }

    // MARK: - Loop thread

    /// Runs `body` on the state under the lock, then resumes what it returned.
    func update(_ body: (inout StateMachine) -> [Resumption]) {
        let resumptions = state.withLock { body(&$0) }
        for resumption in resumptions { resumption.perform() }
    }

    /// Reads the state under the lock.
    func inspect<T: Sendable>(_ body: (borrowing StateMachine) -> T) -> T {
        state.withLock { body($0) }
    }

    /// Like `inspect`, for the few steps that change the state without waking anyone.
    func modify<T: Sendable>(_ body: (inout StateMachine) -> T) -> T {
        state.withLock { body(&$0) }
    }
}
