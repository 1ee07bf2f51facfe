import PhoenixDomain
import PhoenixHTTP

/// The one place that assembles every route of the API; `OpenAPI/openapi.yaml` must list the
/// same set (a test checks both directions).
public enum APIRoutes {
    /// The router of a running phoenix-dr: request ids, access log, error mapping, then routes.
    public static func makeRouter(probes: ProbeState, version: String) -> Router {
        var router = Router()
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: AccessLogMiddleware())
        router.add(middleware: ErrorMiddleware())
        ProbeRoutes.register(on: &router, state: probes, version: version)
        return router
    }
}
