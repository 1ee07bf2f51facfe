import Foundation
import Logging
import PhoenixDomain
import PhoenixHTTPClient
@testable import PhoenixSources
import PhoenixTesting

/// A fake Vault on our server with a client for it, torn down by `run` whatever the test does.
struct FakeVaultHarness: Sendable {
    let vault: FakeVault
    let server: LiveServer
    let http: HTTPClient
    let logs: InMemoryLogs

    /// Runs `body` against a fresh fake Vault (or the given one), then stops server and client.
    static func run<T: Sendable>(_ vault: FakeVault = FakeVault(), _ body: (FakeVaultHarness) async throws -> T) async throws -> T {
        try HTTPClient.globalInitialize()
        let logs = InMemoryLogs()
        let http = try HTTPClient(logger: logs.logger())
        let server: LiveServer
        do {
            server = try vault.start()
        } catch {
            await http.shutdown()
            throw error
        }
        let harness = FakeVaultHarness(vault: vault, server: server, http: http, logs: logs)
        do {
            let value = try await body(harness)
            await harness.stop()
            return value
        } catch {
            await harness.stop()
            throw error
        }
    }

    private func stop() async {
        await server.stop()
        await http.shutdown()
    }

    func endpoint(token: String? = nil) throws -> VaultEndpoint {
        var timeouts = HTTPClientTimeouts(connect: .seconds(5))
        timeouts.stall = .init(bytesPerSecond: 1, window: .seconds(10))
        return try VaultEndpoint(address: server.baseURL, token: token ?? vault.token, timeouts: timeouts)
    }

    func source(token: String? = nil, staging: String? = nil) throws -> VaultSource {
        VaultSource(settings: .init(endpoint: try endpoint(token: token), stagingDirectory: staging), http: http, now: { Date() },
                    logger: logs.logger())
    }

    func restorer(token: String? = nil, force: Bool = false) throws -> VaultRestorer {
        VaultRestorer(settings: .init(endpoint: try endpoint(token: token), force: force), http: http, logger: logs.logger())
    }

    /// Takes a snapshot into memory.
    func snapshot() async throws -> (SnapshotSummary, [UInt8]) {
        let sink = MemorySink()
        let summary = try await source().snapshot(into: sink)
        return (summary, await sink.bytes)
    }

    /// Restores `bytes` in pieces of 1,000, as an artifact reader hands them out.
    func restore(_ bytes: [UInt8], force: Bool = false, token: String? = nil) async throws -> VaultRestorer.Report {
        var pieces = stride(from: 0, to: bytes.count, by: 1000).map { Array(bytes[$0..<min(bytes.count, $0 + 1000)]) }.makeIterator()
        return try await restorer(token: token, force: force).restore { pieces.next() }
    }

    /// Everything logged, as one text, to search for secrets.
    var loggedText: String {
        logs.entries.map { "\($0.message) \($0.metadata)" }.joined(separator: "\n")
    }
}
