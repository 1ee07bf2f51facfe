import FoundationEssentials
import HTTPTypes
import Logging
import PhoenixDomain
import PhoenixHTTP

/// `/v1/backups`: the backup index, triggering backups and verifications, and pins.
enum BackupRoutes {
    struct TriggerBody: Decodable {
        var dataset: String
        var labels: [String: String]?
    }

    static func register(on router: inout Router, services: APIServices) {
        router.get("/v1/backups") { request, _ in
            let query = try backupQuery(QueryString(request.head.path ?? ""))
            let backups: [BackupRecord]
            do {
                backups = try await services.catalog.backups(query)
            } catch let error as CatalogError where error.code == .notFound && query.after != nil {
                throw HTTPError(.badRequest, detail: "query parameter \"cursor\" names no backup")
            }
            let next = backups.count == query.limit ? backups.last?.id.rawValue : nil
            return try JSONResponse.make(Page(items: backups.map(BackupView.init), nextCursor: next))
        }
        router.post("/v1/backups") { request, context in
            let body = try request.decodeJSON(TriggerBody.self)
            guard services.configuration.dataset(named: body.dataset) != nil else {
                throw HTTPError(.unprocessableContent, detail: "no dataset named \"\(body.dataset)\"")
            }
            let labels = try BackupLabelsInput.validate(body.labels ?? [:])
            return try await JobTrigger.enqueue(.backup, dataset: body.dataset, parameters: labels.mapKeys { "label." + $0 },
                                                request: request, context: context, services: services)
        }
        router.get("/v1/backups/{id}") { _, context in
            try JSONResponse.make(BackupView(try await existing(context, services)))
        }
        router.post("/v1/backups/{id}/verify") { request, context in
            let backup = try await existing(context, services)
            return try await JobTrigger.enqueue(.verify, dataset: backup.dataset, parameters: ["backup_id": backup.id.rawValue],
                                                request: request, context: context, services: services)
        }
        router.post("/v1/backups/{id}/pin") { _, context in
            try await pin(context, services, true)
        }
        router.delete("/v1/backups/{id}/pin") { _, context in
            try await pin(context, services, false)
        }
        router.delete("/v1/backups/{id}") { _, context in
            let backup = try await existing(context, services)
            guard let store = services.stores[backup.store] else {
                throw HTTPError(.conflict, detail: "backup \(backup.id) is in store \"\(backup.store)\", which this instance cannot open")
            }
            try await services.catalog.deleteBackup(backup, from: store)
            context.logger.notice("backup deleted", metadata: ["backup.id": "\(backup.id)"])
            return Response(status: .noContent)
        }
    }

    private static func existing(_ context: RequestContext, _ services: APIServices) async throws -> BackupRecord {
        let id = BackupID(rawValue: context.parameters["id"] ?? "")
        guard let backup = try await services.catalog.backup(id) else { throw HTTPError(.notFound, detail: "no backup \(id)") }
        return backup
    }

    private static func pin(_ context: RequestContext, _ services: APIServices, _ isPinned: Bool) async throws -> Response {
        let id = BackupID(rawValue: context.parameters["id"] ?? "")
        guard let backup = try await services.catalog.setPinned(id, isPinned) else { throw HTTPError(.notFound, detail: "no backup \(id)") }
        return try JSONResponse.make(BackupView(backup))
    }

    /// `dataset`, `cursor` and `limit` (1–200, default 50).
    static func backupQuery(_ query: QueryString) throws(HTTPError) -> BackupQuery {
        var result = BackupQuery(dataset: query["dataset"], after: query["cursor"].map(BackupID.init(rawValue:)))
        if let limit = query["limit"] {
            guard let value = Int(limit), (1...200).contains(value) else {
                throw HTTPError(.badRequest, detail: "query parameter \"limit\" must be a whole number from 1 to 200")
            }
            result.limit = value
        }
        return result
    }
}

/// Labels a client may attach to a backup: at most 32, keys of letters, digits, `_`, `-`, `.`
/// (up to 63), values up to 256 characters.
enum BackupLabelsInput {
    static func validate(_ labels: [String: String]) throws(HTTPError) -> [String: String] {
        guard labels.count <= 32 else { throw HTTPError(.unprocessableContent, detail: "at most 32 labels") }
        for (key, value) in labels {
            let isKey = (1...63).contains(key.utf8.count) && key.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
            }
            guard isKey else { throw HTTPError(.unprocessableContent, detail: "label name \"\(key.prefix(64))\" is not allowed") }
            guard value.count <= 256 else { throw HTTPError(.unprocessableContent, detail: "label \"\(key)\" is longer than 256 characters") }
        }
        return labels
    }
}

extension Dictionary where Key == String {
    func mapKeys(_ transform: (String) -> String) -> [String: Value] {
        Dictionary(uniqueKeysWithValues: map { (transform($0.key), $0.value) })
    }
}
