import HTTPTypes
import PhoenixHTTP
import Synchronization

/// The routes of the test server that the raw-request corpus and the live tests rely on.
public enum TestRoutes {
    /// Counts what the `/slow` handler went through, so tests wait on events, not on sleeps.
    public final class SlowMonitor: Sendable {
        /// Handlers that have started waiting.
        public let started = Atomic<Int>(0)
        /// Handlers whose wait was cancelled (the connection closed under them).
        public let cancelled = Atomic<Int>(0)
        /// What `/hold` handlers wait for.
        public let gate = Gate()
        /// Creates a monitor with zero counts.
        public init() {}
    }

    /// A one-way latch: `wait()` returns once `open()` was called, or throws when its task is
    /// cancelled. Tests hold handlers on it instead of on a timer, so a busy machine cannot let a
    /// handler finish early and change what the test sees.
    public final class Gate: Sendable {
        private struct State {
            var isOpen = false
            var nextID = 0
            var waiters: [Int: CheckedContinuation<Void, any Error>] = [:]
        }
        private let state = Mutex(State())

        public init() {}

        /// Lets every current and future waiter through.
        public func open() {
            let waiters = state.withLock { state in
                state.isOpen = true
                defer { state.waiters = [:] }
                return state.waiters
            }
            for waiter in waiters.values { waiter.resume() }
        }

        /// Waits until the gate opens; throws `CancellationError` when the task is cancelled.
        public func wait() async throws {
            let id = state.withLock { state in
                defer { state.nextID += 1 }
                return state.nextID
            }
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                    let resumeNow: (any Error)?? = state.withLock { state in
                        if state.isOpen { return .some(nil) }
                        if Task.isCancelled { return .some(CancellationError()) }
                        state.waiters[id] = continuation
                        return .none
                    }
                    switch resumeNow {
                    case .none: break
                    case .some(nil): continuation.resume()
                    case .some(let error?): continuation.resume(throwing: error)
                    }
                }
            } onCancel: {
                state.withLock { $0.waiters.removeValue(forKey: id) }?.resume(throwing: CancellationError())
            }
        }
    }

    /// `GET /health` → 200 `ok`; `POST /echo` → 200 with the request body;
    /// `GET /slow?ms=N` → 200 after N milliseconds (a handler awaiting I/O);
    /// `GET /hold` → 200 `held` once the monitor's gate opens (or never, if the task is cancelled);
    /// `GET /bytes?n=N` → 200 with N bytes.
    public static func router(monitor: SlowMonitor = SlowMonitor()) -> Router {
        var router = Router()
        router.get("/health") { _, _ in Response(status: .ok, contentType: "text/plain", body: "ok") }
        router.post("/echo") { request, _ in
            Response(status: .ok, headerFields: [.contentType: "application/octet-stream"], body: request.body)
        }
        router.get("/slow") { request, _ in
            monitor.started.add(1, ordering: .relaxed)
            do {
                try await Task.sleep(for: .milliseconds(queryNumber(request) ?? 200))
            } catch {
                monitor.cancelled.add(1, ordering: .relaxed)
                throw error
            }
            return Response(status: .ok, contentType: "text/plain", body: "slow")
        }
        router.get("/hold") { _, _ in
            monitor.started.add(1, ordering: .relaxed)
            do {
                try await monitor.gate.wait()
            } catch {
                monitor.cancelled.add(1, ordering: .relaxed)
                throw error
            }
            return Response(status: .ok, contentType: "text/plain", body: "held")
        }
        router.get("/bytes") { request, _ in
            Response(status: .ok, headerFields: [.contentType: "application/octet-stream"],
                     body: [UInt8](repeating: 0x62, count: queryNumber(request) ?? 0))
        }
        return router
    }

    /// The number after the first `=` of the query (`/slow?ms=150` → 150).
    private static func queryNumber(_ request: Request) -> Int? {
        request.head.path?.split(separator: "=").last.flatMap { Int($0) }
    }
}
