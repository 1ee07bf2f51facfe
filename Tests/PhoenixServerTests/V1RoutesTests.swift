import Foundation
import PhoenixAPI
import PhoenixCrypto
import PhoenixDomain
import PhoenixPersistence
import PhoenixStores
import PhoenixTesting
import Testing

/// The `/v1` routes over a real SQLite catalog and our server, with a token of each role.
@Suite struct V1RoutesTests {
    static let tokens = [
        TokenSpec(name: "dash", role: .viewer, sha256: SHA256.hex(Array("t-viewer".utf8))),
        TokenSpec(name: "ops", role: .operator, sha256: SHA256.hex(Array("t-operator".utf8))),
        TokenSpec(name: "root", role: .admin, sha256: SHA256.hex(Array("t-admin".utf8))),
    ]
    static let now = Date(timeIntervalSince1970: 1_780_000_000)

    struct Fixture {
        let live: LiveServer
        let catalog: SQLiteJobCatalog
        let storeRoot: String

        func get(_ target: String, token: String?) async throws -> TestResponse {
            try await send("GET", target, token: token)
        }

        func send(_ method: String, _ target: String, token: String?, json: String? = nil,
                  headers: [String: String] = [:]) async throws -> TestResponse {
            let client = try TestSocket(port: live.port)
            var head = "\(method) \(target) HTTP/1.1\r\nHost: t\r\n"
            if let token { head += "Authorization: Bearer \(token)\r\n" }
            for (name, value) in headers { head += "\(name): \(value)\r\n" }
            let body = json ?? ""
            if json != nil { head += "Content-Type: application/json\r\n" }
            try client.send(head + "Content-Length: \(body.utf8.count)\r\n\r\n" + body)
            return try #require(await client.readResponse())
        }
    }

    static func fixture() async throws -> Fixture {
        let catalog = try await SQLiteJobCatalog.makeTemporary()
        let yaml = """
        data_tiers:
          - {name: redis_data, tier: Critical, backup_interval_minutes: 15, retention_days: 30}
        backup:
          redis:
            schedule: "*/15 * * * *"
            retention: {keep_last: 96, keep_daily: 30}
        """
        let configuration = try ConfigurationFixture.load(yaml)
        let storeRoot = FileManager.default.temporaryDirectory.appending(path: "t_\(UUID().uuidString.lowercased())").path
        let services = APIServices(configuration: configuration, catalog: catalog, now: { now },
                                   instance: APIServices.Instance(id: "eu-1", leadership: { (true, 3) }),
                                   stores: ["local": LocalStore(name: "local", root: storeRoot)])
        let router = APIRoutes.makeRouter(probes: ProbeState(), version: "1", services: services, tokens: tokens)
        return Fixture(live: try LiveServer(responder: router), catalog: catalog, storeRoot: storeRoot)
    }

    @Test func everyRouteNeedsAToken() async throws {
        let fixture = try await Self.fixture()
        for target in ["/v1/status", "/v1/datasets", "/v1/datasets/redis_data", "/v1/jobs", "/v1/jobs/x", "/v1/backups",
                       "/v1/backups/x", "/v1/retention/preview?dataset=redis_data"] {
            let response = try await fixture.get(target, token: nil)
            #expect(response.status == 401, "\(target)")
            #expect(response.header("content-type") == "application/problem+json")
            #expect(try await fixture.get(target, token: "wrong").status == 401)
        }
        for (method, target) in [("POST", "/v1/jobs/x/cancel"), ("POST", "/v1/backups"), ("POST", "/v1/backups/x/verify"),
                                 ("POST", "/v1/backups/x/pin"), ("DELETE", "/v1/backups/x/pin"), ("POST", "/v1/catalog/sync")] {
            #expect(try await fixture.send(method, target, token: nil).status == 401, "\(method) \(target)")
            #expect(try await fixture.send(method, target, token: "t-viewer").status == 403, "\(method) \(target)")
        }
        await fixture.live.stop()
    }

    @Test func statusNamesTheInstanceItsCatalogAndItsLeadership() async throws {
        let fixture = try await Self.fixture()
        let status = try await fixture.get("/v1/status", token: "t-viewer")
        #expect(status.status == 200)
        #expect(status.text.contains(#""instance":"eu-1""#))
        #expect(status.text.contains(#""catalog":"sqlite""#))
        #expect(status.text.contains(#""leader":true"#))
        #expect(status.text.contains(#""leader_epoch":3"#))
        await fixture.live.stop()
    }

    @Test func datasetsShowTierScheduleNextRunAndRetention() async throws {
        let fixture = try await Self.fixture()
        let list = try await fixture.get("/v1/datasets", token: "t-viewer")
        #expect(list.status == 200)
        #expect(list.text.contains(#""name":"redis_data""#))
        let one = try await fixture.get("/v1/datasets/redis_data", token: "t-viewer")
        #expect(one.text.contains(#""tier":"Critical""#))
        #expect(one.text.contains(#""schedule":"*/15 * * * *""#))
        #expect(one.text.contains(#""next_run":"2026-05-28T20:30:00Z""#))
        #expect(one.text.contains(#""keep_daily":30"#))
        #expect(try await fixture.get("/v1/datasets/nope", token: "t-viewer").status == 404)
        await fixture.live.stop()
    }

    @Test func jobsAreListedWithFiltersAndCursorPages() async throws {
        let fixture = try await Self.fixture()
        for index in 0..<5 {
            _ = try await fixture.catalog.enqueue(Job(kind: index.isMultiple(of: 2) ? .backup : .verify, dataset: "redis_data",
                                                      trigger: "test", createdAt: Self.now.addingTimeInterval(Double(index))))
        }
        let backups = try await fixture.get("/v1/jobs?kind=backup", token: "t-viewer")
        #expect(backups.status == 200)
        #expect(backups.text.components(separatedBy: #""kind":"backup""#).count - 1 == 3)
        let page = try await fixture.get("/v1/jobs?limit=2", token: "t-viewer")
        let cursor = try #require(page.text.firstMatch(of: /"next_cursor":"([^"]+)"/)?.1)
        let next = try await fixture.get("/v1/jobs?limit=2&cursor=\(cursor)", token: "t-viewer")
        #expect(next.status == 200)
        #expect(next.text.components(separatedBy: #""id":"#).count - 1 == 2)
        let bad = try await fixture.get("/v1/jobs?state=done", token: "t-viewer")
        #expect(bad.status == 400)
        #expect(bad.text.contains("query parameter \\\"state\\\""))
        #expect(try await fixture.get("/v1/jobs?limit=0", token: "t-viewer").status == 400)
        let unknownCursor = try await fixture.get("/v1/jobs?cursor=nope", token: "t-viewer")
        #expect(unknownCursor.status == 400)
        #expect(unknownCursor.text.contains("cursor"))
        await fixture.live.stop()
    }

    @Test func jobsAreFilteredByDatasetAndState() async throws {
        let fixture = try await Self.fixture()
        let catalog = fixture.catalog
        let redis = try await catalog.enqueue(Job(kind: .backup, dataset: "redis_data", trigger: "test", createdAt: Self.now))
        let vault = try await catalog.enqueue(Job(kind: .backup, dataset: "vault", trigger: "test", createdAt: Self.now.addingTimeInterval(1)))
        let redisVerify = try await catalog.enqueue(Job(kind: .verify, dataset: "redis_data", trigger: "test",
                                                        createdAt: Self.now.addingTimeInterval(2)))
        _ = try await catalog.claimNext(worker: "w", now: Self.now)  // the redis backup runs
        try await catalog.finish(vault.id, state: .failed, error: "boom", now: Self.now)
        let ids = { (query: String) async throws -> [String] in
            let response = try await fixture.get("/v1/jobs?\(query)", token: "t-viewer")
            #expect(response.status == 200, "\(query)")
            return response.text.matches(of: /"id":"([0-9a-f-]{36})"/).map { String($0.1) }
        }
        #expect(try await ids("dataset=redis_data") == [redisVerify.id.rawValue, redis.id.rawValue])
        #expect(try await ids("dataset=vault") == [vault.id.rawValue])
        #expect(try await ids("dataset=redis") == [], "a dataset is matched whole")
        #expect(try await ids("state=running") == [redis.id.rawValue])
        #expect(try await ids("state=failed") == [vault.id.rawValue])
        #expect(try await ids("state=queued&dataset=redis_data") == [redisVerify.id.rawValue])
        #expect(try await ids("state=queued&dataset=vault") == [])
        // Percent-encoded values are decoded before they are compared.
        #expect(try await ids("dataset=redis%5Fdata&state=running") == [redis.id.rawValue])
        await fixture.live.stop()
    }

    @Test func cancellingNeedsTheOperatorRoleAndAnUnfinishedJob() async throws {
        let fixture = try await Self.fixture()
        let job = try await fixture.catalog.enqueue(Job(kind: .backup, dataset: "redis_data", trigger: "test", createdAt: Self.now))
        let target = "/v1/jobs/\(job.id)/cancel"
        #expect(try await fixture.send("POST", target, token: "t-viewer").status == 403)
        let cancelled = try await fixture.send("POST", target, token: "t-operator")
        #expect(cancelled.status == 202)
        #expect(cancelled.text.contains(#""state":"cancelled""#))
        #expect(try await fixture.send("POST", target, token: "t-admin").status == 409)
        #expect(try await fixture.send("POST", "/v1/jobs/missing/cancel", token: "t-admin").status == 404)
        let shown = try await fixture.get("/v1/jobs/\(job.id)", token: "t-viewer")
        #expect(shown.status == 200)
        #expect(shown.text.contains(#""id":"\#(job.id)""#), "ids are plain strings")
        #expect(shown.text.contains(#""state":"cancelled""#))
        await fixture.live.stop()
    }
}
