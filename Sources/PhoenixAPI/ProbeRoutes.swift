import HTTPTypes
import PhoenixDomain
import PhoenixHTTP

/// `/health`, `/livez` and `/readyz`: unauthenticated, answered from `ProbeState` alone.
public enum ProbeRoutes {
    /// Adds the probe routes to `router`.
    public static func register(on router: inout Router, state: ProbeState, version: String) {
        // Built once: Route 53 probes it from many places, and the healthy answer never changes.
        let healthy = health(.ok, version: version)
        router.get("/health") { _, _ in
            let current = state.currentHealth
            return current == .ok ? healthy : health(current, version: version)
        }
        router.get("/livez") { _, _ in
            Response(status: .ok, contentType: "application/json", body: "{\"status\":\"alive\"}")
        }
        router.get("/readyz") { _, _ in
            state.isReady
                ? Response(status: .ok, contentType: "application/json", body: "{\"status\":\"ready\"}")
                : Response(status: .serviceUnavailable, contentType: "application/json", body: "{\"status\":\"not_ready\"}")
        }
    }

    /// The `/health` answer. `"status"` comes first so a probe that reads only the first bytes
    /// (Route 53 string matching reads 5,120) always sees it.
    static func health(_ state: HealthState, version: String) -> Response {
        var body = "{\"status\":\"\(state.token)\""
        if case .unavailable(let reason) = state { body += ",\"reason\":\(JSONString.quote(reason))" }
        body += ",\"version\":\(JSONString.quote(version))}"
        var response = Response(status: state == .ok ? .ok : .serviceUnavailable, contentType: "application/json", body: body)
        response.headerFields[.cacheControl] = "no-store"
        return response
    }
}
