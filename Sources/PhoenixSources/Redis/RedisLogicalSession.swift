import Logging
import PhoenixRedis

/// A PhoenixRedis connection for the logical backup and restore, with the failures put in an
/// operator's words (`RedisSourceError`, never the password: PhoenixRedis keeps it out of its
/// errors, and server replies never echo it).
struct RedisLogicalSession: Sendable {
    let connection: RedisConnection
    /// `host:port`, for messages.
    let address: String

    static func connect(_ settings: RedisSource.Settings, logger: Logger) async throws(RedisSourceError) -> RedisLogicalSession {
        let address = settings.address
        do {
            let endpoint = try RedisEndpoint(address: address, username: settings.username, password: settings.password,
                                             connectTimeout: settings.timeout, commandTimeout: settings.timeout)
            return RedisLogicalSession(connection: try await RedisConnection.connect(endpoint, logger: logger), address: address)
        } catch {
            throw explain(error, address: address, during: "connecting")
        }
    }

    static func explain(_ error: RedisError, address: String, during step: String) -> RedisSourceError {
        switch error.code {
        case .authFailed: RedisSourceError("Redis at \(address) refused the credentials: \(error.message.prefix(200))")
        case .connectFailed: RedisSourceError("cannot connect to Redis at \(address): \(error.message.prefix(200))")
        case .cancelled: RedisSourceError("cancelled while \(step)")
        default: RedisSourceError("\(error.description) (\(address), \(step)\(error.message.isEmpty ? "" : ": \(error.message.prefix(200))"))")
        }
    }

    /// An error reply, as an operator reads it; `NOAUTH` and `NOPERM` name the credentials.
    func refused(_ command: String, _ message: String) -> RedisSourceError {
        if message.hasPrefix("NOAUTH") || message.hasPrefix("WRONGPASS") {
            return RedisSourceError("Redis at \(address) refused the credentials: \(message.prefix(200))")
        }
        return RedisSourceError("Redis at \(address) refused \(command): \(message.prefix(200))")
    }

    func command(_ arguments: [[UInt8]], during step: String) async throws(RedisSourceError) -> RedisValue {
        do {
            return try await connection.command(arguments)
        } catch {
            throw Self.explain(error, address: address, during: step)
        }
    }

    func pipeline(_ commands: [[[UInt8]]]) async throws(RedisSourceError) -> [RedisValue] {
        do {
            return try await connection.pipeline(commands)
        } catch {
            throw Self.explain(error, address: address, during: "a pipeline of \(commands.count) commands")
        }
    }

    func expectOK(_ arguments: [String]) async throws(RedisSourceError) {
        let reply = try await command(arguments.map { Array($0.utf8) }, during: arguments[0])
        if case .error(let message) = reply { throw refused(arguments[0], message) }
    }

    /// The `field:value` lines of `INFO section`.
    func info(_ section: String) async throws(RedisSourceError) -> [String: String] {
        let reply = try await command([Array("INFO".utf8), Array(section.utf8)], during: "INFO")
        if case .error(let message) = reply { throw refused("INFO", message) }
        guard let text = reply.text else { throw RedisSourceError("Redis at \(address) answered INFO with an unexpected reply") }
        var fields: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = String(line[line.index(after: colon)...])
        }
        return fields
    }

    /// One `SCAN cursor COUNT count`: the next cursor and the keys.
    func scan(cursor: [UInt8], count: Int) async throws(RedisSourceError) -> (cursor: [UInt8], keys: [[UInt8]]) {
        let reply = try await command([Array("SCAN".utf8), cursor, Array("COUNT".utf8), Array(String(count).utf8)], during: "SCAN")
        if case .error(let message) = reply { throw refused("SCAN", message) }
        guard let parts = reply.array, parts.count == 2, let next = parts[0].bytes, let keys = parts[1].array?.compactMap(\.bytes),
              keys.count == parts[1].array?.count
        else { throw RedisSourceError("Redis at \(address) answered SCAN with an unexpected reply") }
        return (next, keys)
    }

    /// The masters of the cluster and their slot ranges (`CLUSTER SLOTS`: `[start, end, [host,
    /// port, id, …], replicas…]` per range), ordered by their first slot.
    func clusterMasters() async throws(RedisSourceError) -> [RedisClusterNode] {
        let reply = try await command([Array("CLUSTER".utf8), Array("SLOTS".utf8)], during: "CLUSTER SLOTS")
        if case .error(let message) = reply { throw refused("CLUSTER SLOTS", message) }
        var nodes: [RedisClusterNode] = []
        for range in reply.array ?? [] {
            guard let fields = range.array, fields.count >= 3, let start = fields[0].int, let end = fields[1].int,
                  let master = fields[2].array, master.count >= 3, var host = master[0].text, let port = master[1].int,
                  let id = master[2].text
            else { throw RedisSourceError("Redis at \(address) answered CLUSTER SLOTS with an unexpected reply") }
            // An empty or "?" host means "the address you reached me at" (Redis 7 cluster-preferred-endpoint-type).
            if host.isEmpty || host == "?" { host = String(address[..<(address.lastIndex(of: ":") ?? address.endIndex)]) }
            let shown = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]:\(port)" : "\(host):\(port)"
            if let index = nodes.firstIndex(where: { $0.id == id }) {
                nodes[index].slots.append([Int(start), Int(end)])
            } else {
                nodes.append(RedisClusterNode(address: shown, id: id, slots: [[Int(start), Int(end)]]))
            }
        }
        guard !nodes.isEmpty else { throw RedisSourceError("the Redis Cluster at \(address) serves no slots") }
        return nodes.sorted { ($0.slots.map { $0[0] }.min() ?? 0) < ($1.slots.map { $0[0] }.min() ?? 0) }
    }

    func close() async {
        await connection.close()
    }
}

extension RedisSource.Settings {
    /// `host:port` (`[v6]:port`).
    var address: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// The same credentials and timeout for another node (`host:port`) of a cluster.
    func at(_ address: String) throws(RedisSourceError) -> RedisSource.Settings {
        var settings = try RedisSource.Settings(address: address, username: username, password: password)
        settings.timeout = timeout
        settings.mode = mode
        return settings
    }
}
