import PhoenixDomain
import PhoenixHTTP

/// The one place that assembles every route of the API; `OpenAPI/openapi.yaml` must list the
/// same set (a test checks both directions).
public enum APIRoutes {
    /// The router of a running phoenix-dr.
    public static func makeRouter(probes: ProbeState, version: String) -> Router {
        var router = Router()
        ProbeRoutes.register(on: &router, state: probes, version: version)
        return router
    }
}
