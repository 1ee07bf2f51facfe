import PhoenixDomain
import PhoenixHTTP

/// The one place that assembles every route of the API; `OpenAPI/openapi.yaml` must list the
/// same set (a test checks both directions).
public enum APIRoutes {
    /// The router of a running phoenix-dr: request ids, access log, error mapping, bearer
    /// tokens, then the routes. Without `services` only the probes are served.
    public static func makeRouter(probes: ProbeState, version: String, services: APIServices? = nil, tokens: [TokenSpec] = []) -> Router {
        var router = Router()
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: AccessLogMiddleware())
        router.add(middleware: ErrorMiddleware())
        router.add(middleware: TokenAuthenticator(tokens: tokens))
        ProbeRoutes.register(on: &router, state: probes, version: version)
        if let services {
            StatusRoutes.register(on: &router, services: services, version: version)
            DatasetRoutes.register(on: &router, services: services)
            JobRoutes.register(on: &router, services: services)
            BackupRoutes.register(on: &router, services: services)
            RetentionRoutes.register(on: &router, services: services)
            CatalogRoutes.register(on: &router, services: services)
            EventRoutes.register(on: &router, services: services)
        }
        return router
    }
}
