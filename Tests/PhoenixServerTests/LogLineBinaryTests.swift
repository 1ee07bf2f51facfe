import Foundation
import PhoenixTesting
import Testing

/// The server's log lines: a request's logger carries metadata set along the way (`request.id`)
/// and each line adds its own; they are rendered when the line is written, in the
/// stream handler's format (`TIME LEVEL LABEL: key=value ... [SOURCE] MESSAGE`, keys sorted).
@Suite struct LogLineBinaryTests {
    @Test func anAccessLogLineHoldsTheRequestsMetadataAndItsOwnInOneSortedRun() async throws {
        let setup = try BackupBinaryTests.Setup(treeBytes: 0, files: 0)
        defer { setup.remove() }
        let server = try await LoggedServer.start(config: setup.file)
        defer { if server.process.isRunning { server.process.kill(SIGKILL) } }
        let token = try BackupBinaryTests.token(setup)
        _ = try await BackupBinaryTests.curl(["-H", "Authorization: Bearer \(token)", "-H", "X-Request-ID: trace-log-1",
                                              "http://127.0.0.1:\(server.port)/v1/backups?limit=1"])
        #expect(await eventually(timeout: .seconds(10)) { server.log.contains("request.id=trace-log-1") }, "\(server.log)")
        await server.stop()

        let line = try #require(server.log.split(separator: "\n").first { $0.contains("request.id=trace-log-1") })
        let match = try #require(line.firstMatch(of: /^\S+ info phoenix-dr: (.+) \[PhoenixHTTP\] request$/), "\(line)")
        let keys = match.1.split(separator: " ").map { $0.split(separator: "=", maxSplits: 1)[0] }
        // From the request's logger (set by middleware) and from the line itself, together.
        for key in ["request.id", "http.method", "http.path", "http.status", "duration.ms", "peer.address"] {
            #expect(keys.contains(Substring(key)), "\(key) missing in \(line)")
        }
        #expect(keys == keys.sorted(), "\(line)")
        #expect(line.contains("http.status=200"), "\(line)")
    }
}
