import ArgumentParser
import Foundation
import Logging
import PhoenixArtifact
import PhoenixSources

extension ArtifactCommand.Restore {
    /// A redis artifact, told apart by its first bytes: an RDB goes into `--redis-dir`, a logical
    /// backup is replayed into the server at `--redis-address`.
    func restoreRedis(_ plaintext: ArtifactPlaintext, keyring: Keyring, logger: Logger) async throws {
        var first: [UInt8] = []
        do {
            first = try await plaintext.next() ?? []
            while first.count < RedisLogicalFormat.magic.count, let more = try await plaintext.next() { first += more }
        } catch {
            throw ValidationError("the artifact cannot be restored, nothing was written: \(error)")
        }
        var held: [UInt8]? = first
        let next: () async throws -> [UInt8]? = {
            if let piece = held {
                held = nil
                return piece
            }
            return try await plaintext.next()
        }
        var server: RedisSource.Settings?
        if let redisAddress {
            let password = redisPasswordVariable.flatMap { ProcessInfo.processInfo.environment[$0] }
            server = try RedisSource.Settings(address: redisAddress, password: password)
        }
        if RedisLogicalReader.recognises(first) {
            guard redisDirectory == nil else {
                throw ValidationError("this is a logical redis backup: it is replayed into a running server with --redis-address, not written to --redis-dir")
            }
            guard let server else { throw ValidationError("a logical redis backup needs --redis-address") }
            try await checkWhole(keyring: keyring)
            let restorer = RedisLogicalRestorer(settings: .init(server: server), logger: logger)
            let report = try await restorer.restore { try await next() }
            print("restored: \(report.restoredKeys) keys into \(server.host):\(server.port)"
                + (report.clusterMasters.map { " (a cluster of \($0) masters)" } ?? "")
                + ", \(report.expiredKeys) skipped as expired since the backup")
            print("server: \(report.serverKeys) keys, as expected")
            return
        }
        guard let redisDirectory else {
            throw ValidationError("this is an rdb redis backup: say where dump.rdb goes with --redis-dir (and --start-command)")
        }
        let restorer = RedisRDBRestorer(settings: .init(dataDirectory: redisDirectory, startCommand: startCommand, server: server), logger: logger)
        if RedisClusterRDBReader.recognises(first) {
            guard let redisNode else {
                throw ValidationError("this is a Redis Cluster backup, one RDB per master: restore each master on its host with --redis-node (1, 2, … by slot order, its address or its node id)")
            }
            let selection = RedisClusterRDBSelection(.init(redisNode), source: next)
            let report = try await restorer.restore { try await selection.next() }
            let node = selection.node.map { "master \($0.number) (\($0.node.address), slots \($0.node.slots.map { "\($0[0])-\($0[1])" }.joined(separator: ",")))" } ?? ""
            print("restored: \(node) into \(report.path) (RDB \(report.rdb.version), \(report.rdb.keys) keys, \(report.rdb.keysExpired) expired since the backup)")
            if let restored = report.restoredKeys { print("server: \(restored) keys loaded, as expected") }
            return
        }
        guard redisNode == nil else { throw ValidationError("--redis-node picks a master of a Redis Cluster backup; this is the RDB of a single server") }
        let report = try await restorer.restore { try await next() }
        print("restored: \(report.path) (RDB \(report.rdb.version), \(report.rdb.keys) keys, \(report.rdb.keysExpired) expired since the backup)")
        if let restored = report.restoredKeys { print("server: \(restored) keys loaded, as expected") }
    }

    /// Reads the whole logical backup once, checking its frames, count and digest, so a damaged
    /// artifact is refused before a single key is written.
    private func checkWhole(keyring: Keyring) async throws {
        let again = try ArtifactPlaintext(path: file, keyring: keyring)
        var reader = RedisLogicalReader()
        do {
            while let piece = try await again.next() { _ = try reader.consume(piece) }
            _ = try reader.finish()
        } catch {
            throw ValidationError("the artifact cannot be restored, nothing was written: \(error)")
        }
    }
}
