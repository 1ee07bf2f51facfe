import Foundation
import HTTPTypes
import PhoenixAPI
import PhoenixDomain
import PhoenixHTTP
import PhoenixPersistence
import PhoenixTesting
import Testing

/// Every `/v1` route the router serves, without a token, with a wrong one and with a token of
/// each role, over real sockets: 401 and 403 are problem+json, and a role at or above the one a
/// route needs always gets past authentication.
@Suite struct V1RoleMatrixTests {
    /// The role each route needs: reads viewer, changes operator, destroying a backup admin. A
    /// route served but missing here fails the test, so a new route must say who may call it.
    static let required: [String: TokenSpec.Role] = [
        "GET /v1/status": .viewer, "HEAD /v1/status": .viewer,
        "GET /v1/datasets": .viewer, "HEAD /v1/datasets": .viewer,
        "GET /v1/datasets/{name}": .viewer, "HEAD /v1/datasets/{name}": .viewer,
        "GET /v1/jobs": .viewer, "HEAD /v1/jobs": .viewer,
        "GET /v1/jobs/{id}": .viewer, "HEAD /v1/jobs/{id}": .viewer,
        "POST /v1/jobs/{id}/cancel": .operator,
        "GET /v1/backups": .viewer, "HEAD /v1/backups": .viewer, "POST /v1/backups": .operator,
        "GET /v1/backups/{id}": .viewer, "HEAD /v1/backups/{id}": .viewer, "DELETE /v1/backups/{id}": .admin,
        "POST /v1/backups/{id}/verify": .operator,
        "POST /v1/backups/{id}/pin": .operator, "DELETE /v1/backups/{id}/pin": .operator,
        "GET /v1/retention/preview": .viewer, "HEAD /v1/retention/preview": .viewer,
        "POST /v1/catalog/sync": .operator,
        "GET /v1/events": .viewer, "HEAD /v1/events": .viewer,
    ]
    static let roles: [(token: String, role: TokenSpec.Role)] = [("t-viewer", .viewer), ("t-operator", .operator), ("t-admin", .admin)]

    @Test func everyV1RouteAnswersEachRoleAndNoTokenAsItsRoleSays() async throws {
        let served = try await Self.servedV1Routes()
        #expect(Set(served.map { "\($0.method) \($0.path)" }) == Set(Self.required.keys), "a /v1 route without a role in the table")
        let fixture = try await V1RoutesTests.fixture()

        for (method, path) in served {
            let route = "\(method) \(path)"
            let needed = try #require(Self.required[route], "\(route)")
            let target = path.replacing("{name}", with: "redis_data").replacing("{id}", with: "x")
                + (path == "/v1/retention/preview" ? "?dataset=redis_data" : "")
            for token in [nil, "wrong"] {
                let response = try await Self.send(fixture, method, target, token: token)
                #expect(response.status == 401, "\(route) with token \(token ?? "none")")
                #expect(response.header("www-authenticate")?.hasPrefix("Bearer") == true, "\(route)")
                Self.expectProblem(response, status: 401, method: method, route: route)
            }
            for (token, role) in Self.roles {
                let response = try await Self.send(fixture, method, target, token: token)
                if Self.rank(role) >= Self.rank(needed) {
                    #expect(response.status != 401 && response.status != 403, "\(route) as \(role.rawValue): \(response.status)")
                } else {
                    #expect(response.status == 403, "\(route) as \(role.rawValue)")
                    Self.expectProblem(response, status: 403, method: method, route: route)
                    if method != "HEAD" { #expect(response.text.contains("needs the \(needed.rawValue) role"), "\(route)") }
                }
            }
        }
        await fixture.live.stop()
    }

    /// viewer < operator < admin, as the authenticator orders them.
    static func rank(_ role: TokenSpec.Role) -> Int {
        switch role {
        case .viewer: 0
        case .operator: 1
        case .admin: 2
        }
    }

    /// `(method, path template)` of every route under `/v1`.
    static func servedV1Routes() async throws -> [(method: String, path: String)] {
        let services = APIServices(configuration: PhoenixConfiguration(), catalog: try await SQLiteJobCatalog.makeTemporary(),
                                   now: { V1RoutesTests.now })
        let router = APIRoutes.makeRouter(probes: ProbeState(), version: "1", services: services)
        return router.routeTable.filter { $0.path.hasPrefix("/v1/") }.map { (method: $0.method.rawValue, path: $0.path) }
            .sorted { ($0.path, $0.method) < ($1.path, $1.method) }
    }

    /// A problem+json answer (RFC 9457) carrying its status; a HEAD answer has the type only.
    static func expectProblem(_ response: TestResponse, status: Int, method: String, route: String) {
        #expect(response.header("content-type") == "application/problem+json", "\(route)")
        guard method != "HEAD" else { return }
        #expect(response.text.contains(#""status":\#(status)"#), "\(route): \(response.text)")
    }

    static func send(_ fixture: V1RoutesTests.Fixture, _ method: String, _ target: String, token: String?) async throws -> TestResponse {
        guard method == "HEAD" else { return try await fixture.send(method, target, token: token, json: method == "GET" ? nil : "{}") }
        let client = try TestSocket(port: fixture.live.port)
        var head = "HEAD \(target) HTTP/1.1\r\nHost: t\r\n"
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        try client.send(head + "\r\n")
        return try #require(await client.readResponse(isHead: true))
    }
}
