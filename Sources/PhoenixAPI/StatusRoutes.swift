import FoundationEssentials
import PhoenixDomain
import PhoenixHTTP

/// `GET /v1/status`: which instance answered, its catalog, and whether it leads.
enum StatusRoutes {
    struct StatusView: Encodable {
        var instance: String
        var version: String
        var catalog: String
        var isLeader: Bool
        var leaderEpoch: Int64?

        enum CodingKeys: String, CodingKey {
            case instance, version, catalog
            case isLeader = "leader"
            case leaderEpoch
        }

        /// Spelled out so a missing epoch is `null`, as the contract says, not an absent key.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(instance, forKey: .instance)
            try container.encode(version, forKey: .version)
            try container.encode(catalog, forKey: .catalog)
            try container.encode(isLeader, forKey: .isLeader)
            try container.encode(leaderEpoch, forKey: .leaderEpoch)
        }
    }

    static func register(on router: inout Router, services: APIServices, version: String) {
        router.get("/v1/status") { _, _ in
            let leadership = services.instance.leadership()
            return try JSONResponse.make(StatusView(
                instance: services.instance.id, version: version, catalog: services.configuration.catalog.kind.rawValue,
                isLeader: leadership.isLeader, leaderEpoch: leadership.epoch))
        }
    }
}
