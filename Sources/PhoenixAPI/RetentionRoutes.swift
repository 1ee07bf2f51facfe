import FoundationEssentials
import HTTPTypes
import PhoenixDomain
import PhoenixHTTP

/// `GET /v1/retention/preview?dataset=`: what retention would keep and delete now, and why,
/// without deleting anything.
enum RetentionRoutes {
    struct Preview: Encodable {
        struct Item: Encodable {
            var backupId: String
            var snapshotAt: Date
            var verified: Bool
            var pinned: Bool
            var keep: Bool
            var reasons: [String]
        }

        var dataset: String
        var keep: Int
        var delete: Int
        var items: [Item]
    }

    static func register(on router: inout Router, services: APIServices) {
        router.get("/v1/retention/preview") { request, _ in
            guard let name = QueryString(request.head.path ?? "")["dataset"] else {
                throw HTTPError(.badRequest, detail: "query parameter \"dataset\" is required")
            }
            guard let dataset = services.configuration.dataset(named: name) else {
                throw HTTPError(.notFound, detail: "no dataset named \"\(name)\"")
            }
            let backups = try await services.catalog.allBackups(of: name)
            let decisions = BackupRetention.plan(backups, dataset: dataset, now: services.now())
            let items = zip(backups, decisions).map { backup, decision in
                Preview.Item(backupId: backup.id.rawValue, snapshotAt: backup.snapshotAt, verified: backup.verifiedAt != nil,
                             pinned: backup.isPinned, keep: decision.keep, reasons: decision.reasons)
            }
            return try JSONResponse.make(Preview(dataset: name, keep: items.filter(\.keep).count,
                                                 delete: items.filter { !$0.keep }.count, items: items))
        }
    }
}
