import PhoenixDomain

/// The redis source's check in a verify, for either mode: it waits for enough bytes to tell a
/// logical stream (`PHXRL01`) from an RDB (`REDIS`), then hands everything to the matching one.
final class RedisArtifactChecker: SnapshotChecker {
    private var prefix: [UInt8] = []
    private var inner: (any SnapshotChecker)?

    func consume(_ bytes: [UInt8]) throws {
        if let inner { return try inner.consume(bytes) }
        prefix += bytes
        guard prefix.count >= RedisLogicalFormat.magic.count else { return }
        let chosen: any SnapshotChecker = RedisLogicalReader.recognises(prefix) ? RedisLogicalChecker() : RDBChecker()
        inner = chosen
        let held = prefix
        prefix = []
        try chosen.consume(held)
    }

    func finish() throws -> (recordCount: Int64?, contentDigest: String?) {
        if inner == nil {
            // Shorter than any magic: let the RDB checker say what is wrong with it.
            inner = RDBChecker()
            try inner?.consume(prefix)
        }
        return try inner!.finish()
    }
}

/// A logical backup read back: its frames, and its key count and digest against its summary.
final class RedisLogicalChecker: SnapshotChecker {
    private var reader = RedisLogicalReader()

    func consume(_ bytes: [UInt8]) throws {
        _ = try reader.consume(bytes)
    }

    func finish() throws -> (recordCount: Int64?, contentDigest: String?) {
        let summary = try reader.finish()
        return (summary.keys, summary.digest)
    }
}
