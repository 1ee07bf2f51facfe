import FoundationEssentials
import FoundationInternationalization
import HTTPTypes
import PhoenixDomain
import PhoenixHTTP

/// `GET /v1/datasets` and `GET /v1/datasets/{name}`: what is backed up, how often, how long kept.
enum DatasetRoutes {
    struct DatasetView: Encodable {
        var name: String
        var source: String
        var tier: String
        var schedule: String
        var timeZone: String
        var nextRun: Date?
        var retention: [String: Int]
        var retentionDays: Int?
        var encryptionRequired: Bool
        var prefix: String
        var store: String
    }

    static func register(on router: inout Router, services: APIServices) {
        router.get("/v1/datasets") { _, _ in
            try JSONResponse.make(Page(items: services.configuration.datasets.map { view($0, now: services.now()) }, nextCursor: nil))
        }
        router.get("/v1/datasets/{name}") { _, context in
            let name = context.parameters["name"] ?? ""
            guard let dataset = services.configuration.dataset(named: name) else {
                throw HTTPError(.notFound, detail: "no dataset named \"\(name)\"")
            }
            return try JSONResponse.make(view(dataset, now: services.now()))
        }
    }

    static func view(_ dataset: DatasetSpec, now: Date) -> DatasetView {
        let zone = TimeZone(identifier: dataset.timeZone) ?? CronSchedule.utc
        let next = (try? CronSchedule(parsing: dataset.schedule, timeZone: zone))?.nextFire(after: now)
        let rules = dataset.retention
        let retention = [("keep_last", rules.keepLast), ("keep_hourly", rules.keepHourly), ("keep_daily", rules.keepDaily),
                         ("keep_weekly", rules.keepWeekly), ("keep_monthly", rules.keepMonthly), ("keep_yearly", rules.keepYearly)]
            .reduce(into: [String: Int]()) { result, pair in if let value = pair.1 { result[pair.0] = value } }
        return DatasetView(name: dataset.name, source: dataset.source.rawValue, tier: dataset.tier.rawValue, schedule: dataset.schedule,
                           timeZone: dataset.timeZone, nextRun: next, retention: retention, retentionDays: dataset.retentionDays,
                           encryptionRequired: dataset.encryptionRequired, prefix: dataset.prefix, store: dataset.store)
    }
}
