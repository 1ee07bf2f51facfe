import HTTPTypes
import PhoenixHTTP

/// The routes of the test server that the raw-request corpus and the live tests rely on.
public enum TestRoutes {
    /// `GET /health` → 200 `ok`; `POST /echo` → 200 with the request body;
    /// `GET /slow?ms=N` → 200 after N milliseconds (a handler awaiting I/O).
    public static func router() -> Router {
        var router = Router()
        router.get("/health") { _, _ in Response(status: .ok, contentType: "text/plain", body: "ok") }
        router.post("/echo") { request, _ in
            Response(status: .ok, headerFields: [.contentType: "application/octet-stream"], body: request.body)
        }
        router.get("/slow") { request, _ in
            let query = request.head.path?.split(separator: "=").last.flatMap { Int($0) } ?? 200
            try? await Task.sleep(for: .milliseconds(query))
            return Response(status: .ok, contentType: "text/plain", body: "slow")
        }
        return router
    }
}
