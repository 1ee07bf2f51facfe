import PhoenixTesting

/// curl over h2c with prior knowledge: the client most API users will have.
enum H2Curl {
    /// Runs curl with `arguments` after `--http2-prior-knowledge -sS`.
    static func run(_ arguments: [String]) async throws -> ProcessRunner.Output {
        try await ProcessRunner.run("curl", ["--http2-prior-knowledge", "-sS"] + arguments)
    }

    /// Whether the server still answers `/health` over HTTP/2 on a new connection.
    static func isHealthy(_ live: LiveServer) async throws -> Bool {
        let output = try await run(["-w", " %{http_version} %{http_code}", "\(live.baseURL)/health"])
        return output.stdout == "ok 2 200"
    }
}
