import Foundation
import Logging
import PhoenixRedis

/// Restores an `rdb` artifact on the Redis host (DESIGN.md §2: the step needs phoenix-dr there):
/// the RDB, checked while it is written, becomes `dump.rdb` in the data directory (written
/// beside it, synced, renamed), the configured start command runs (the seed's service_startup),
/// and once the server has loaded it its key count must equal the backup's, less the keys whose
/// TTL ran out in between.
public struct RedisRDBRestorer: Sendable {
    public struct Settings: Sendable {
        public var dataDirectory: String
        public var fileName: String
        /// Run with `/bin/sh -c` once the file is in place, e.g. `systemctl start redis`.
        public var startCommand: String?
        /// The restored server, to count its keys once it has loaded the RDB.
        public var server: RedisSource.Settings?
        /// How long the server may take to start and load.
        public var loadTimeout: Duration

        public init(dataDirectory: String, fileName: String = "dump.rdb", startCommand: String? = nil,
                    server: RedisSource.Settings? = nil, loadTimeout: Duration = .seconds(120)) {
            self.dataDirectory = dataDirectory
            self.fileName = fileName
            self.startCommand = startCommand
            self.server = server
            self.loadTimeout = loadTimeout
        }
    }

    public struct Report: Sendable {
        public var rdb: RDBScanner.Summary
        public var path: String
        /// The server's key count after loading, when a server was given.
        public var restoredKeys: Int64?
    }

    public let settings: Settings
    let logger: Logger

    public init(settings: Settings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    public func restore(next: () async throws -> [UInt8]?) async throws -> Report {
        let started = Int64(Date().timeIntervalSince1970 * 1000)
        // Keys may expire between this scan and the count after the server loads: allow for
        // those due within twice the load timeout plus ten minutes for writing the file.
        let window = 2 * Int64(settings.loadTimeout.components.seconds * 1000) + 600_000
        var scanner = RDBScanner(expiredBefore: started, expiringBefore: started + window)
        let target = (settings.dataDirectory as NSString).appendingPathComponent(settings.fileName)
        let temporary = (settings.dataDirectory as NSString).appendingPathComponent(".\(settings.fileName).phoenix-\(UUID().uuidString.lowercased())")
        guard FileManager.default.createFile(atPath: temporary, contents: nil, attributes: [.posixPermissions: 0o600]),
              let file = FileHandle(forWritingAtPath: temporary) else {
            throw RedisSourceError("cannot write in \(settings.dataDirectory)")
        }
        do {
            while let piece = try await next() {
                try scanner.consume(piece)
                try file.write(contentsOf: piece)
            }
            let summary = try scanner.finish()
            try file.synchronize()
            try file.close()
            guard rename(temporary, target) == 0 else { throw RedisSourceError("cannot move the RDB into place: \(String(cString: strerror(errno)))") }
            syncDirectory(settings.dataDirectory)
            var report = Report(rdb: summary, path: target, restoredKeys: nil)
            if let command = settings.startCommand { try await run(command) }
            if let server = settings.server {
                let restored = try await waitForLoadedKeys(server)
                report.restoredKeys = restored
                let expected = summary.keys - summary.keysExpired
                guard restored <= expected, restored >= expected - summary.keysExpiringSoon else {
                    throw RedisSourceError("the restored server has \(restored) keys; the backup has \(summary.keys), \(summary.keysExpired) of them expired since")
                }
            }
            return report
        } catch {
            try? file.close()
            unlink(temporary)
            throw error
        }
    }

    private func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    private func run(_ command: String) async throws {
        let log = (settings.dataDirectory as NSString).appendingPathComponent(".phoenix-start-command.log")
        let status = try await ChildProcess.runShell(command, logFile: log)
        guard status == 0 else {
            let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            let tail = output.split(separator: "\n").suffix(5).joined(separator: "; ")
            throw RedisSourceError("the start command exited with status \(status)" + (tail.isEmpty ? "" : ": \(tail)"))
        }
    }

    /// Polls the server until it answers and has finished loading, then sums `INFO keyspace`.
    private func waitForLoadedKeys(_ server: RedisSource.Settings) async throws -> Int64 {
        let deadline = ContinuousClock.now + settings.loadTimeout
        var lastError: any Error = RedisSourceError("the restored server did not answer")
        while ContinuousClock.now < deadline {
            do {
                let info = try await RedisInfo.fetch(server, sections: ["persistence", "keyspace"], logger: logger)
                if info["loading"] == "0" { return info.keyCount }
            } catch {
                lastError = error
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw RedisSourceError("the restored server did not finish loading within \(settings.loadTimeout.components.seconds) s: \(lastError)")
    }
}

/// `INFO` from the restored server, over PhoenixRedis.
struct RedisInfo {
    var fields: [String: String]

    subscript(name: String) -> String? { fields[name] }

    /// The keys of every database (`db0:keys=10,expires=2,avg_ttl=0`).
    var keyCount: Int64 {
        fields.filter { $0.key.hasPrefix("db") }.compactMap { entry -> Int64? in
            entry.value.split(separator: ",").first { $0.hasPrefix("keys=") }.flatMap { Int64($0.dropFirst(5)) }
        }.reduce(0, +)
    }

    static func fetch(_ server: RedisSource.Settings, sections: [String], logger: Logger) async throws -> RedisInfo {
        let host = server.host.contains(":") ? "[\(server.host)]" : server.host  // an IPv6 literal
        let endpoint = try RedisEndpoint(address: "\(host):\(server.port)", username: server.username, password: server.password,
                                         connectTimeout: .seconds(5))
        let connection = try await RedisConnection.connect(endpoint, logger: logger)
        do {
            var fields: [String: String] = [:]
            for section in sections {
                let reply = try await connection.command("INFO", section)
                guard let text = reply.text, !reply.isError else {
                    throw RedisSourceError("Redis answered INFO with \(reply.text.map { String($0.prefix(200)) } ?? "an unexpected reply")")
                }
                for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    fields[String(line[..<colon])] = String(line[line.index(after: colon)...])
                }
            }
            await connection.close()
            return RedisInfo(fields: fields)
        } catch {
            await connection.close()
            throw error
        }
    }
}
