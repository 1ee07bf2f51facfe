import PhoenixTesting

/// curl over h2c with prior knowledge: the client most API users will have.
enum H2Curl {
    /// Runs curl with `arguments` after `--http2-prior-knowledge -sS`.
    static func run(_ arguments: [String]) async throws -> ProcessRunner.Output {
        try await ProcessRunner.run("curl", ["--http2-prior-knowledge", "-sS"] + arguments)
    }
}

extension FrameClient {
    /// Whether the server still answers `GET /health` with 200 `ok` over HTTP/2 on a new
    /// connection. Frames, not curl, so the suites that use it can run under AddressSanitizer
    /// (where Foundation's Process cannot launch curl).
    static func isHealthy(_ live: LiveServer) async throws -> Bool {
        let client = try FrameClient(port: live.port)
        try client.request("/health", stream: 1)
        let read = try await client.readFrames { $0.streamID == 1 && $0.isEndStream }
        // HPACK static table entry 8 is `:status: 200`, sent as the one byte 0x88 (RFC 7541
        // Appendix A), after a dynamic table size update (0x20, §6.3) on a connection's first block.
        let block: [UInt8] = read.frames.first { $0.streamID == 1 && $0.type == Frame.headers }.map(\.payload) ?? []
        let status = block.drop { $0 & 0xe0 == 0x20 }.first
        let body = read.frames.filter { $0.streamID == 1 && $0.type == Frame.data }.flatMap(\.payload)
        return read.end == .stopped && status == 0x88 && body == Array("ok".utf8)
    }
}
