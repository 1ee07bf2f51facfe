import HTTPTypes
import PhoenixHTTPClient
import PhoenixTesting
import Testing

/// Keep-alive reuse through the multi handle's pool, and many transfers on one loop thread.
@Suite struct ConnectionTests {
    @Test func tenSequentialRequestsShareOneConnection() async throws {
        try await ClientHarness.withServerAndClient { server, client in
            var opened = 0
            for index in 0..<10 {
                let response = try await client.execute(HTTPClientRequest(url: server.baseURL + "/bytes?n=\(index * 100)"))
                #expect(response.body.count == index * 100)
                opened += response.metrics.connectionsOpened
            }
            #expect(opened == 1)
            #expect(client.statistics.connectionsOpened == 1)
        }
    }

    @Test func bodiesOfEveryKindKeepTheConnection() async throws {
        try await ClientHarness.withServerAndClient { server, client in
            _ = try await client.execute(HTTPClientRequest(method: .post, url: server.baseURL + "/echo", body: .bytes([1])))
            _ = try await client.execute(HTTPClientRequest(method: .put, url: server.baseURL + "/echo", body: .stream(length: 3) { try await $0.write([1, 2, 3]) }))
            _ = try await client.execute(HTTPClientRequest(method: .post, url: server.baseURL + "/echo", body: .stream(length: nil) { try await $0.write([4]) }))
            _ = try await client.execute(HTTPClientRequest(url: server.baseURL + "/health"))
            #expect(client.statistics.connectionsOpened == 1)
        }
    }

    @Test func aHundredConcurrentRequestsAllSucceed() async throws {
        try await ClientHarness.withServerAndClient { server, client in
            let statuses = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
                for index in 0..<100 {
                    group.addTask {
                        let response = try await client.execute(HTTPClientRequest(url: server.baseURL + "/bytes?n=\(index)"))
                        return (response.status.code, response.body.count - index)
                    }
                }
                return try await group.reduce(into: [(Int, Int)]()) { $0.append($1) }
            }
            #expect(statuses.count == 100)
            #expect(statuses.allSatisfy { $0 == (200, 0) })
            #expect(client.statistics.activeTransfers == 0)
            #expect(client.statistics.connectionsOpened <= 100)
        }
    }
}
