import PhoenixDomain
import PhoenixHTTP

/// `POST /v1/catalog/sync`: rebuild the backup index from the manifests in the stores, as a job.
enum CatalogRoutes {
    static func register(on router: inout Router, services: APIServices) {
        router.post("/v1/catalog/sync") { request, context in
            try await JobTrigger.enqueue(.catalogSync, dataset: nil, request: request, context: context, services: services)
        }
    }
}
