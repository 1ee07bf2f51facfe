import PhoenixAPI
import PhoenixCrypto
import PhoenixDomain
import PhoenixTesting
import Testing

@Suite struct ProbeRoutesTests {
    @Test func healthAnswers200WithTheStatusTokenFirst() async throws {
        let probes = ProbeState()
        let live = try LiveServer(responder: APIRoutes.makeRouter(probes: probes, version: "9.9.9"))
        let client = try TestSocket(port: live.port)
        try client.send("GET /health HTTP/1.1\r\nHost: t\r\n\r\n")
        let response = try #require(await client.readResponse())
        #expect(response.status == 200)
        #expect(response.text.hasPrefix("{\"status\":\"ok\""))
        #expect(response.text.contains("\"version\":\"9.9.9\""))
        #expect(response.header("cache-control") == "no-store")
        await live.stop()
    }

    @Test func healthFlipsTo503WithTheReasonAndBack() async throws {
        let probes = ProbeState()
        let live = try LiveServer(responder: APIRoutes.makeRouter(probes: probes, version: "1"))
        let client = try TestSocket(port: live.port)
        probes.setHealth(.unavailable(reason: "standby region: \"dr\""))
        try client.send("GET /health HTTP/1.1\r\nHost: t\r\n\r\n")
        let down = try #require(await client.readResponse())
        #expect(down.status == 503)
        #expect(down.text.hasPrefix("{\"status\":\"unavailable\""))
        #expect(down.text.contains("\"reason\":\"standby region: \\\"dr\\\"\""))
        probes.setHealth(.ok)
        try client.send("HEAD /health HTTP/1.1\r\nHost: t\r\n\r\n")
        let up = try #require(await client.readResponse(isHead: true))
        #expect(up.status == 200)
        #expect(up.body.isEmpty)
        await live.stop()
    }

    @Test func readyzFollowsStartUpAndShutdown() async throws {
        let probes = ProbeState()
        let live = try LiveServer(responder: APIRoutes.makeRouter(probes: probes, version: "1"))
        let client = try TestSocket(port: live.port)
        try client.send("GET /readyz HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(await client.readResponse()?.status == 503)
        probes.setReady(true)
        try client.send("GET /readyz HTTP/1.1\r\nHost: t\r\n\r\nGET /livez HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(await client.readResponse()?.status == 200)
        #expect(await client.readResponse()?.text == "{\"status\":\"alive\"}")
        probes.setReady(false)
        try client.send("GET /readyz HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(await client.readResponse()?.status == 503)
        await live.stop()
    }

    static let viewer = TokenSpec(name: "dash", role: .viewer, sha256: SHA256.hex(Array("viewer-token".utf8)))

    @Test func unknownPathIs401WithoutATokenAnd404WithOne() async throws {
        let live = try LiveServer(responder: APIRoutes.makeRouter(probes: ProbeState(), version: "1", tokens: [Self.viewer]))
        let client = try TestSocket(port: live.port)
        try client.send("GET /v1/nothing HTTP/1.1\r\nHost: t\r\n\r\nGET /v1/nothing HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer viewer-token\r\n\r\n")
        let anonymous = try #require(await client.readResponse())
        #expect(anonymous.status == 401)
        #expect(anonymous.header("www-authenticate") == "Bearer")
        #expect(await client.readResponse()?.status == 404)
        await live.stop()
    }

    @Test func wrongMethodOnAProbeIs405WithAllow() async throws {
        let live = try LiveServer(responder: APIRoutes.makeRouter(probes: ProbeState(), version: "1"))
        let client = try TestSocket(port: live.port)
        try client.send("GET /health/x HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer nope\r\n\r\nDELETE /health HTTP/1.1\r\nHost: t\r\n\r\n")
        let missing = try #require(await client.readResponse())
        #expect(missing.status == 401, "a wrong token gets 401 before any route is looked up")
        #expect(missing.header("content-type") == "application/problem+json")
        let wrongMethod = try #require(await client.readResponse())
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.header("allow") == "GET, HEAD, OPTIONS")
        await live.stop()
    }

    @Test func problemResponsesCarryTheRequestIDAsBodyFieldAndHeader() async throws {
        let live = try LiveServer(responder: APIRoutes.makeRouter(probes: ProbeState(), version: "1", tokens: [Self.viewer]))
        let client = try TestSocket(port: live.port)
        try client.send("GET /missing HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer viewer-token\r\nX-Request-ID: trace-9\r\n\r\n")
        let response = try #require(await client.readResponse())
        #expect(response.status == 404)
        #expect(response.text.contains("\"request_id\":\"trace-9\""))
        #expect(response.header("x-request-id") == "trace-9")
        await live.stop()
    }
}
