import Foundation
import HTTPTypes
@testable import PhoenixHTTPClient
import PhoenixTesting
import Testing

/// Proxies from the environment: requests go through a real forward proxy (the fault proxy in
/// front of our server, which accepts the absolute-form targets a proxy receives), and hosts in
/// `no_proxy` bypass it. The environment is injected as a dictionary, the way the configuration
/// reads it once, so no test changes the process's own environment under other tests.
@Suite struct ProxyTests {
    typealias Seen = FaultProxy.SeenRequest

    /// Runs `body` with our server, a proxy in front of it, and a client whose proxy settings
    /// come from `environment` (`PROXY` in a value is replaced by the proxy's address).
    static func withProxiedClient(_ environment: [String: String], _ body: (LiveServer, FaultProxy, HTTPClient) async throws -> Void) async throws {
        try await ClientHarness.withServer { server in
            let proxy = try FaultProxy(upstreamPort: Int(server.port))
            defer { proxy.stop() }
            let resolved = environment.mapValues { $0.replacingOccurrences(of: "PROXY", with: "http://127.0.0.1:\(proxy.port)") }
            try await ClientHarness.withClient({ $0.proxy = HTTPProxySettings(environment: resolved) }) { client in
                try await body(server, proxy, client)
            }
        }
    }

    /// The proxy parses one request per connection, so each request closes its own.
    static func get(_ url: String) -> HTTPClientRequest {
        HTTPClientRequest(url: url, headerFields: [.connection: "close"])
    }

    @Test(arguments: ["http_proxy", "HTTP_PROXY", "all_proxy"])
    func aRequestGoesThroughTheProxyNamedInTheEnvironment(variable: String) async throws {
        try await Self.withProxiedClient([variable: "PROXY"]) { server, proxy, client in
            let health = try await client.execute(Self.get(server.baseURL + "/health"))
            #expect(health.status == .ok)
            #expect(health.text == "ok")
            let upload = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            let echo = try await client.execute(HTTPClientRequest(method: .post, url: server.baseURL + "/echo",
                                                                  headerFields: [.connection: "close"], body: .bytes(upload)))
            #expect(echo.body == upload)
            // A proxy is sent the absolute URL (RFC 9112 §3.2.2); a direct request would carry
            // only the path, and would not reach the proxy at all.
            #expect(proxy.requests == [Seen(method: "GET", target: server.baseURL + "/health", faulted: false),
                                       Seen(method: "POST", target: server.baseURL + "/echo", faulted: false)])
        }
    }

    @Test(arguments: ["127.0.0.1", "localhost,127.0.0.0/8", "*"])
    func aHostInNoProxyBypassesTheProxy(noProxy: String) async throws {
        try await Self.withProxiedClient(["http_proxy": "PROXY", "no_proxy": noProxy]) { server, proxy, client in
            let health = try await client.execute(Self.get(server.baseURL + "/health"))
            #expect(health.text == "ok")
            #expect(proxy.requests.isEmpty, "no_proxy=\(noProxy) still went through the proxy: \(proxy.requests)")
        }
    }

    @Test func aNoProxyListWithoutTheHostLeavesItProxied() async throws {
        try await Self.withProxiedClient(["http_proxy": "PROXY", "NO_PROXY": "example.com,10.0.0.0/8"]) { server, proxy, client in
            _ = try await client.execute(Self.get(server.baseURL + "/health"))
            #expect(proxy.requests.map(\.target) == [server.baseURL + "/health"])
        }
    }

    @Test func aProxyThatCannotBeReachedIsAClearErrorNotADirectConnection() async throws {
        let peer = try RawPeer(.silent)  // a port that was just free: bind it, note it, close it
        let closedPort = peer.port
        peer.stop()
        try await ClientHarness.withServer { server in
            try await ClientHarness.withClient({ $0.proxy = HTTPProxySettings(httpProxy: "http://127.0.0.1:\(closedPort)") }) { client in
                let error = await #expect(throws: HTTPClientError.self) { try await client.execute(Self.get(server.baseURL + "/health")) }
                #expect(error?.curlCodeName == "CURLE_COULDNT_CONNECT", "\(String(describing: error))")
            }
        }
    }

    @Test func theEnvironmentIsReadByCurlsRulesWithHTTPProxyIgnoredUnderCGI() {
        let lower = HTTPProxySettings(environment: ["http_proxy": "http://a:1", "HTTP_PROXY": "http://b:2", "HTTPS_PROXY": "http://c:3",
                                                    "NO_PROXY": "x", "no_proxy": "y"])
        #expect(lower == HTTPProxySettings(httpProxy: "http://a:1", httpsProxy: "http://c:3", noProxy: "y"))
        let all = HTTPProxySettings(environment: ["ALL_PROXY": "http://d:4", "http_proxy": ""])
        #expect(all == HTTPProxySettings(httpProxy: "http://d:4", httpsProxy: "http://d:4"))
        // In a CGI program HTTP_PROXY is the client's `Proxy:` header ("httpoxy").
        let cgi = HTTPProxySettings(environment: ["HTTP_PROXY": "http://evil:1", "REQUEST_METHOD": "GET"])
        #expect(cgi == .none)
        #expect(HTTPProxySettings(environment: [:]) == .none)
    }

    @Test func eachSchemeGetsItsProxyAndTheMetadataServiceNeverGoesThroughOne() {
        let settings = HTTPProxySettings(httpProxy: "http://p:1", httpsProxy: "http://s:2")
        #expect(settings.proxy(for: "http://bucket.s3.amazonaws.com/key") == "http://p:1")
        #expect(settings.proxy(for: "HTTPS://s3.us-west-2.amazonaws.com/b") == "http://s:2")
        #expect(settings.proxy(for: "http://169.254.169.254/latest/api/token") == nil)
        #expect(settings.proxy(for: "http://user@169.254.169.254:80/") == nil)
        #expect(settings.proxy(for: "http://10.169.254.1/") == "http://p:1")
        #expect(HTTPProxySettings.none.proxy(for: "http://example.com/") == nil)
    }
}
