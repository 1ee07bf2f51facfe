import FoundationEssentials
import HTTPTypes
import PhoenixDomain
import PhoenixHTTP

/// Queues a job for a POST and answers `202 Accepted` with `Location: /v1/jobs/{id}`
/// (DESIGN.md §1.5), honouring `Idempotency-Key`.
///
/// A key is scoped to the caller's token, so two clients cannot collide. A retry with the same key
/// gets the job queued the first time (with `Idempotent-Replayed: true`); the same key on a
/// different request is refused with 422, as Stripe does, since answering with the other job
/// would hide a client bug.
enum JobTrigger {
    static let keyField = HTTPField.Name("Idempotency-Key")!
    static let replayedField = HTTPField.Name("Idempotent-Replayed")!

    static func enqueue(_ kind: JobKind, dataset: String?, parameters: [String: String] = [:], request: Request,
                        context: RequestContext, services: APIServices) async throws -> Response {
        let trigger = context.identity ?? "api"
        let key = try idempotencyKey(request).map { "\(trigger):\($0)" }
        let job = Job(kind: kind, dataset: dataset, trigger: trigger, idempotencyKey: key, parameters: parameters,
                      createdAt: services.now())
        let stored = try await services.catalog.enqueue(job)
        services.wakeup?.signal()
        let isReplay = stored.id != job.id
        if isReplay && (stored.kind != kind || stored.dataset != dataset || stored.parameters != parameters) {
            throw HTTPError(.unprocessableContent,
                            detail: "Idempotency-Key was already used for a different request (job \(stored.id))")
        }
        var response = try JSONResponse.make(stored, status: .accepted)
        response.headerFields[.location] = "/v1/jobs/\(stored.id)"
        if isReplay { response.headerFields[replayedField] = "true" }
        return response
    }

    /// The header's value: 1 to 255 visible ASCII characters.
    static func idempotencyKey(_ request: Request) throws(HTTPError) -> String? {
        guard let value = request.headerFields[keyField] else { return nil }
        guard (1...255).contains(value.utf8.count), value.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw HTTPError(.badRequest, detail: "Idempotency-Key must be 1 to 255 visible ASCII characters")
        }
        return value
    }
}
