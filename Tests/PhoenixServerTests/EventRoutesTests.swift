import Foundation
import PhoenixDomain
import PhoenixPersistence
import PhoenixTesting
import Testing

/// `GET /v1/events` over a real SQLite catalog and our server.
@Suite struct EventRoutesTests {
    @Test func eventsAreListedNewestFirstWithFiltersAndCursorPages() async throws {
        let fixture = try await V1RoutesTests.fixture()
        var stored: [EngineEvent] = []
        for index in 0..<5 {
            stored.append(try await fixture.catalog.appendEvent(EngineEvent(
                time: V1RoutesTests.now.addingTimeInterval(Double(index)), kind: index < 3 ? "job.finished" : "lease.acquired",
                subject: index < 3 ? "job-\(index)" : "automation", severity: index == 1 ? .error : .info,
                message: "event \(index)", details: ["state": "failed", "acquired_at": "17", "Hook.Name": "x"])))
        }
        let ids = { (query: String) async throws -> [Int64] in
            let response = try await fixture.get("/v1/events\(query)", token: "t-viewer")
            #expect(response.status == 200, "\(query)")
            return response.text.matches(of: /"id":(\d+)/).compactMap { Int64($0.1) }
        }
        #expect(try await ids("") == stored.reversed().map(\.id))
        #expect(try await ids("?kind=lease.acquired") == [stored[4].id, stored[3].id])
        #expect(try await ids("?subject=job-1") == [stored[1].id])
        #expect(try await ids("?severity=error") == [stored[1].id])
        #expect(try await ids("?kind=job.finished&severity=warning") == [stored[1].id])

        let one = try await fixture.get("/v1/events?subject=job-1", token: "t-viewer")
        #expect(one.header("content-type") == "application/json")
        // Detail keys are shown as stored, not re-cased.
        #expect(one.text.contains(#""details":{"Hook.Name":"x","acquired_at":"17","state":"failed"}"#), "\(one.text)")
        #expect(one.text.contains(#""time":"2026-05-28T20:26:41Z""#), "\(one.text)")
        #expect(one.text.contains(#""severity":"error""#))

        let first = try await fixture.get("/v1/events?limit=2", token: "t-viewer")
        let cursor = try #require(first.text.firstMatch(of: /"next_cursor":"(\d+)"/).map { String($0.1) }, "\(first.text)")
        #expect(cursor == "\(stored[3].id)")
        #expect(try await ids("?limit=2&cursor=\(cursor)") == [stored[2].id, stored[1].id])
        let last = try await fixture.get("/v1/events?limit=2&cursor=\(stored[1].id)", token: "t-viewer")
        #expect(last.text.hasSuffix(#""next_cursor":null}"#), "\(last.text)")
        await fixture.live.stop()
    }

    @Test func badQueryParametersAre400ProblemsNamingTheParameter() async throws {
        let fixture = try await V1RoutesTests.fixture()
        for (query, name) in [("severity=fatal", "severity"), ("cursor=abc", "cursor"), ("cursor=-4", "cursor"), ("cursor=0", "cursor"),
                              ("limit=0", "limit"), ("limit=201", "limit"), ("limit=x", "limit"),
                              ("cursor=99999999999999999999999", "cursor")] {
            let response = try await fixture.get("/v1/events?\(query)", token: "t-viewer")
            #expect(response.status == 400, "\(query)")
            #expect(response.header("content-type") == "application/problem+json", "\(query)")
            #expect(response.text.contains(#"query parameter \"\#(name)\""#), "\(query): \(response.text)")
        }
        await fixture.live.stop()
    }
}
