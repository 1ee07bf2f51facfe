import Foundation
import Logging

extension RedisReplicationClient {
    /// Connects to `settings`' server and authenticates (`AUTH [user] password`) when a password is set.
    func open(_ settings: RedisSource.Settings) throws(RedisSourceError) {
        try connect(host: settings.host, port: settings.port, timeout: settings.timeout)
        if let password = settings.password {
            try send(["AUTH"] + (settings.username.map { [$0] } ?? []) + [password])
            let reply = try readLine()
            guard reply == "+OK" else {
                throw RedisSourceError("Redis at \(settings.address) refused the credentials: \(RedisSource.serverError(reply))")
            }
        }
    }

    /// The server's `redis_mode` (`standalone`, `cluster`, `sentinel`) from `INFO server`; nil
    /// when the server refuses `INFO` (a narrow ACL), which is then treated as a single server.
    func redisMode() throws(RedisSourceError) -> String? {
        try send(["INFO", "server"])
        let header = try readLine()
        guard header.hasPrefix("$"), let length = Int(header.dropFirst()) else { return nil }  // -NOPERM and the like
        // INFO server is a few KiB; a reply this long is not one, and skipping it would leave
        // the stream out of step with the replication handshake.
        guard (0...(1 << 20)).contains(length) else { throw RedisSourceError("Redis answered INFO with \(length) bytes; not a Redis server?") }
        var text: [UInt8] = []
        while text.count < length + 2 { text += try read(maxCount: length + 2 - text.count) }
        let line = String(decoding: text, as: UTF8.self).split(whereSeparator: \.isNewline).first { $0.hasPrefix("redis_mode:") }
        return line.map { String($0.dropFirst("redis_mode:".count)).trimmingCharacters(in: .whitespaces) }
    }

    /// Pulls the server's RDB over the replication protocol and hands it to `emit` piece by
    /// piece as it arrives (one socket read each), without the EOF mark. Call after `open`.
    ///
    /// `REPLCONF capa eof` lets the server send the RDB diskless (`$EOF:<mark>`, the payload, the
    /// mark again); otherwise it arrives length-prefixed (`$<n>`). `REPLCONF rdb-only 1` (Redis 7)
    /// ends the transfer after the RDB instead of switching to the command stream.
    /// Nonisolated: `emit` runs in the caller's context, and each socket call hops onto the actor.
    nonisolated func pullRDB(logger: Logger, emit: ([UInt8]) async throws -> Void) async throws {
        try await send(["REPLCONF", "capa", "eof"])
        _ = try await readLine()
        try await send(["REPLCONF", "rdb-only", "1"])
        if try await readLine() != "+OK" {
            logger.info("redis ignores REPLCONF rdb-only (before 7.0); the stream is closed after the RDB")
        }
        try await send(["SYNC"])
        let header = try await readLine()
        guard header.hasPrefix("$") else {
            throw RedisSourceError("Redis refused SYNC: \(RedisSource.serverError(header))")
        }
        if header.hasPrefix("$EOF:") {
            let mark = Array(header.utf8.dropFirst(5))
            guard mark.count == 40 else { throw RedisSourceError("Redis sent a malformed EOF mark") }
            // The payload ends with the mark: hold the last 40 bytes back until more arrive.
            var held: [UInt8] = []
            while true {
                held += try await read(maxCount: 1 << 20)
                if held.count >= 40 && Array(held.suffix(40)) == mark {
                    if held.count > 40 { try await emit(Array(held.dropLast(40))) }
                    return
                }
                if held.count > 40 {
                    try await emit(Array(held.dropLast(40)))
                    held = Array(held.suffix(40))
                }
            }
        }
        guard let length = Int64(header.dropFirst()), length >= 0 else {
            throw RedisSourceError("Redis sent a malformed RDB length: \(header.prefix(40))")
        }
        var remaining = length
        while remaining > 0 {
            let piece = try await read(maxCount: Int(min(remaining, 1 << 20)))
            remaining -= Int64(piece.count)
            try await emit(piece)
        }
    }
}
