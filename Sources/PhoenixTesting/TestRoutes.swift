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
        /// Creates a monitor with zero counts.
        public init() {}
    }

    /// `GET /health` → 200 `ok`; `POST /echo` → 200 with the request body;
    /// `GET /slow?ms=N` → 200 after N milliseconds (a handler awaiting I/O);
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
