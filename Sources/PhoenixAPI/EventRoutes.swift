import FoundationEssentials
import HTTPTypes
import PhoenixDomain
import PhoenixHTTP

/// `GET /v1/events`: the history of jobs and automation, newest first (viewer role).
enum EventRoutes {
    static func register(on router: inout Router, services: APIServices) {
        router.get("/v1/events") { request, _ in
            let query = try eventQuery(QueryString(request.head.path ?? ""))
            let events = try await services.catalog.events(query)
            let next = events.count == query.limit ? events.last.map { String($0.id) } : nil
            return try JSONResponse.make(Page(items: events.map(EventView.init), nextCursor: next))
        }
    }

    /// `kind`, `subject`, `severity` (the least severe level shown), `cursor` (the `next_cursor`
    /// of the previous page) and `limit` (1–200, default 50), each checked.
    static func eventQuery(_ query: QueryString) throws(HTTPError) -> EventQuery {
        var result = EventQuery()
        result.kind = query["kind"]
        result.subject = query["subject"]
        if let severity = query["severity"] {
            guard let value = EventSeverity(rawValue: severity) else {
                let allowed = EventSeverity.allCases.map(\.rawValue).joined(separator: ", ")
                throw HTTPError(.badRequest, detail: "query parameter \"severity\": \"\(severity)\" is not one of \(allowed)")
            }
            result.minimumSeverity = value
        }
        if let cursor = query["cursor"] {
            guard let value = Int64(cursor), value > 0 else {
                throw HTTPError(.badRequest, detail: "query parameter \"cursor\" must be the next_cursor of a previous page")
            }
            result.before = value
        }
        if let limit = query["limit"] {
            guard let value = Int(limit), (1...200).contains(value) else {
                throw HTTPError(.badRequest, detail: "query parameter \"limit\" must be a whole number from 1 to 200")
            }
            result.limit = value
        }
        return result
    }
}

/// One event as the API shows it.
struct EventView: Encodable {
    var id: Int64
    var time: Date
    var kind: String
    var subject: String
    var severity: String
    var message: String
    var details: [String: String]

    init(_ event: EngineEvent) {
        id = event.id
        time = event.time
        kind = event.kind
        subject = event.subject
        severity = event.severity.rawValue
        message = event.message
        details = event.details
    }
}
