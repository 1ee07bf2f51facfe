import ArgumentParser
import Foundation
import HTTPTypes
import Logging
import PhoenixHTTPClient

/// The CLI's connection to a running server (DESIGN.md §6): `PHOENIX_URL` (default
/// `http://127.0.0.1:8080`) and `PHOENIX_TOKEN`, or `--url` and `--token`.
struct APIClientOptions: ParsableArguments {
    @Option(help: "The server's base URL (default: $PHOENIX_URL, else http://127.0.0.1:8080).")
    var url: String?

    @Option(help: "A bearer token (default: $PHOENIX_TOKEN).")
    var token: String?

    /// Runs `body` with a client, shut down afterwards whether `body` succeeds or throws.
    func withClient<T>(_ body: (APIClient) async throws -> T) async throws -> T {
        let client = try makeClient()
        do {
            let value = try await body(client)
            await client.close()
            return value
        } catch {
            await client.close()
            throw error
        }
    }

    func makeClient() throws -> APIClient {
        let environment = ProcessInfo.processInfo.environment
        let base = url ?? environment["PHOENIX_URL"] ?? "http://127.0.0.1:8080"
        guard base.hasPrefix("http://") || base.hasPrefix("https://") else { throw ValidationError("--url must start with http:// or https://") }
        return try APIClient(base: base.hasSuffix("/") ? String(base.dropLast()) : base, token: token ?? environment["PHOENIX_TOKEN"])
    }
}

/// A few JSON calls over PhoenixHTTPClient; problems come back as the server's `detail`.
final class APIClient: Sendable {
    let base: String
    let token: String?
    private let http: HTTPClient

    init(base: String, token: String?) throws {
        try HTTPClient.globalInitialize()
        self.base = base
        self.token = token
        http = try HTTPClient(logger: Logger(label: "phoenix-dr.cli") { _ in SwiftLogNoOpLogHandler() })
    }

    /// Sends the request and decodes a 2xx body as JSON; any other answer is an error naming the status and detail.
    func call(_ method: HTTPRequest.Method, _ path: String, json: [String: Any]? = nil,
              headers: [String: String] = [:]) async throws -> [String: Any] {
        var fields = HTTPFields()
        fields[.accept] = "application/json"
        if let token { fields[.authorization] = "Bearer \(token)" }
        for (name, value) in headers { if let field = HTTPField.Name(name) { fields[field] = value } }
        var body = HTTPClientRequest.Body.none
        if let json {
            fields[.contentType] = "application/json"
            body = .bytes(Array(try JSONSerialization.data(withJSONObject: json)))
        }
        let response = try await http.execute(HTTPClientRequest(method: method, url: base + path, headerFields: fields, body: body))
        let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
        guard (200..<300).contains(response.status.code) else {
            let detail = object["detail"] as? String ?? String(decoding: response.body.prefix(300), as: UTF8.self)
            let hint = response.status.code == 401 ? " (set PHOENIX_TOKEN or --token)" : ""
            throw CLIError("\(method) \(path): \(response.status.code) \(detail)\(hint)")
        }
        return object
    }

    func close() async {
        await http.shutdown()
    }
}
