import Foundation
@testable import PhoenixSources
import PhoenixTesting

/// A throwaway redis-server of a test's own (Deploy/dev/start-redis.sh), so key counts are the
/// test's alone; stopped by `stop()`.
struct RedisInstance: Sendable {
    static let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../Deploy/dev").standardized.path

    let port: Int
    let pid: String
    let directory: String
    var address: String { "127.0.0.1:\(port)" }

    /// Starts a server on a free port with an empty (or the given) data directory.
    static func start(directory: String? = nil, password: String? = nil, extraArguments: String = "") async throws -> RedisInstance {
        let directory = directory ?? NSTemporaryDirectory() + "phx-redis-" + UUID().uuidString.lowercased()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var environment = ["REDIS_EXTRA_ARGS": extraArguments]
        if let password { environment["REDIS_PASSWORD"] = password }
        var failure = RedisTestError("start-redis.sh not run")
        // The script refuses a port another test's server took meanwhile: another port, then.
        for _ in 0..<3 {
            let port = LoopbackPort.free()
            // Our ChildProcess, not Foundation's Process, which leaks its pipe into the daemon the
            // script leaves running, so the script's output would never end.
            let script = try ChildProcess("bash", arguments: ["\(scripts)/start-redis.sh", String(port), directory], environment: environment)
            var output: [UInt8] = []
            while true {
                let piece = try await script.read(maxCount: 4096)
                if piece.isEmpty { break }
                output += piece
            }
            guard await script.wait() == 0 else {
                failure = RedisTestError("start-redis.sh failed: \(script.errorOutput)")
                continue
            }
            return RedisInstance(port: port, pid: String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines), directory: directory)
        }
        throw failure
    }

    /// The shell command that starts a server over `directory` on `port` (a restore's start command).
    static func startCommand(port: Int, directory: String) -> String {
        "bash \(scripts)/start-redis.sh \(port) \(directory) > \(directory)/pid"
    }

    func stop() async {
        _ = try? await ProcessRunner.run("bash", ["\(Self.scripts)/stop-pid.sh", pid])
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs redis-cli against this server and returns its output.
    @discardableResult
    func cli(_ arguments: [String], password: String? = nil, database: Int = 0) async throws -> String {
        var prefix = ["-h", "127.0.0.1", "-p", String(port), "-n", String(database)]
        if let password { prefix += ["-a", password, "--no-auth-warning"] }
        let result = try await ProcessRunner.run("redis-cli", prefix + arguments)
        guard result.status == 0 else { throw RedisTestError("redis-cli \(arguments.first ?? ""): \(result.stderr)") }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A digest of every key of `database`: name, type, value in a canonical order (sets and
    /// hashes sorted: their DUMP order follows the hash table and differs between servers), a
    /// stream's entries and groups, and whether the key has a TTL. Computed by a Lua script in
    /// the server, so two servers compare without copying their data out.
    func digest(database: Int) async throws -> String {
        let script = """
            local function flat(t) local out = {} for _, v in ipairs(t) do if type(v) == 'table' then out[#out + 1] = flat(v) else out[#out + 1] = tostring(v) end end return table.concat(out, ',') end
            local keys = redis.call('KEYS', '*')
            table.sort(keys)
            local parts = {}
            for _, key in ipairs(keys) do
              local kind = redis.call('TYPE', key).ok
              local value
              if kind == 'string' then value = redis.call('GET', key)
              elseif kind == 'list' then value = flat(redis.call('LRANGE', key, 0, -1))
              elseif kind == 'set' then local m = redis.call('SMEMBERS', key) table.sort(m) value = flat(m)
              elseif kind == 'zset' then value = flat(redis.call('ZRANGE', key, 0, -1, 'WITHSCORES'))
              elseif kind == 'hash' then
                local h = redis.call('HGETALL', key) local pairs_ = {}
                for i = 1, #h, 2 do pairs_[#pairs_ + 1] = h[i] .. '=' .. h[i + 1] end
                table.sort(pairs_) value = flat(pairs_)
              elseif kind == 'stream' then value = flat(redis.call('XRANGE', key, '-', '+')) .. '|' .. flat(redis.call('XINFO', 'GROUPS', key))
              end
              parts[#parts + 1] = key .. '|' .. kind .. '|' .. value .. '|' .. tostring(redis.call('PTTL', key) > 0)
            end
            return redis.sha1hex(table.concat(parts, '\\n')) .. ' ' .. #keys
            """
        return try await cli(["EVAL", script, "0"], database: database)
    }
}

struct RedisTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
