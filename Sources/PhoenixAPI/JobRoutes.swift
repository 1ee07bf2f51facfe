import FoundationEssentials
import HTTPTypes
import PhoenixDomain
import PhoenixHTTP

/// `GET /v1/jobs`, `GET /v1/jobs/{id}` and `POST /v1/jobs/{id}/cancel`.
enum JobRoutes {
    static func register(on router: inout Router, services: APIServices) {
        router.get("/v1/jobs") { request, _ in
            let query = try jobQuery(QueryString(request.head.path ?? ""))
            let jobs: [Job]
            do {
                jobs = try await services.catalog.list(query)
            } catch let error as CatalogError where error.code == .notFound && query.after != nil {
                throw HTTPError(.badRequest, detail: "query parameter \"cursor\" names no job")
            }
            let next = jobs.count == query.limit ? jobs.last?.id.rawValue : nil
            return try JSONResponse.make(Page(items: jobs, nextCursor: next))
        }
        router.get("/v1/jobs/{id}") { _, context in
            let id = JobID(rawValue: context.parameters["id"] ?? "")
            guard let job = try await services.catalog.job(id) else { throw HTTPError(.notFound, detail: "no job \(id)") }
            return try JSONResponse.make(job)
        }
        router.post("/v1/jobs/{id}/cancel") { _, context in
            let id = JobID(rawValue: context.parameters["id"] ?? "")
            guard let current = try await services.catalog.job(id) else { throw HTTPError(.notFound, detail: "no job \(id)") }
            guard !current.state.isTerminal else {
                throw HTTPError(.conflict, detail: "job \(id) has already ended (\(current.state.rawValue))")
            }
            guard let job = try await services.catalog.requestCancel(id, now: services.now()) else {
                throw HTTPError(.notFound, detail: "no job \(id)")
            }
            return try JSONResponse.make(job, status: .accepted)
        }
    }

    /// `kind`, `state`, `dataset`, `cursor` and `limit` (1–200, default 50), each checked.
    static func jobQuery(_ query: QueryString) throws(HTTPError) -> JobQuery {
        var result = JobQuery()
        if let kind = query["kind"] {
            guard let value = JobKind(rawValue: kind) else { throw invalid("kind", kind, JobKind.allCases.map(\.rawValue)) }
            result.kind = value
        }
        if let state = query["state"] {
            guard let value = JobState(rawValue: state) else { throw invalid("state", state, JobState.allCases.map(\.rawValue)) }
            result.state = value
        }
        result.dataset = query["dataset"]
        result.after = query["cursor"].map(JobID.init(rawValue:))
        if let limit = query["limit"] {
            guard let value = Int(limit), (1...200).contains(value) else {
                throw HTTPError(.badRequest, detail: "query parameter \"limit\" must be a whole number from 1 to 200")
            }
            result.limit = value
        }
        return result
    }

    private static func invalid(_ name: String, _ value: String, _ allowed: [String]) -> HTTPError {
        HTTPError(.badRequest, detail: "query parameter \"\(name)\": \"\(value)\" is not one of \(allowed.joined(separator: ", "))")
    }
}
