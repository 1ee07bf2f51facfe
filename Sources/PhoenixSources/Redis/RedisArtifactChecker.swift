import PhoenixCrypto
import PhoenixDomain

/// The redis source's check in a verify, for either mode: it waits for enough bytes to tell a
/// logical stream (`PHXRL01`) and a cluster's RDBs (`PHXRC01`) from an RDB (`REDIS`), then hands
/// everything to the matching one.
final class RedisArtifactChecker: SnapshotChecker {
    private var prefix: [UInt8] = []
    private var inner: (any SnapshotChecker)?

    func consume(_ bytes: [UInt8]) throws {
        if let inner { return try inner.consume(bytes) }
        prefix += bytes
        guard prefix.count >= RedisLogicalFormat.magic.count else { return }
        let chosen: any SnapshotChecker = if RedisLogicalReader.recognises(prefix) {
            RedisLogicalChecker()
        } else if RedisClusterRDBReader.recognises(prefix) {
            RedisClusterRDBChecker()
        } else {
            RDBChecker()
        }
        inner = chosen
        let held = prefix
        prefix = []
        try chosen.consume(held)
    }

    func finish() async throws -> (recordCount: Int64?, contentDigest: String?) {
        if inner == nil {
            // Shorter than any magic: let the RDB checker say what is wrong with it.
            inner = RDBChecker()
            try inner?.consume(prefix)
        }
        return try await inner!.finish()
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

/// The read-back of an RDB that was walked as it streamed: its SHA-256 only. The count is the one
/// the walk found, reported only when the bytes are those that were walked.
final class RDBRehashChecker: SnapshotChecker {
    private var hasher = SHA256.Hasher()
    private let expectedDigest: String
    private let recordCount: Int64

    init(expectedDigest: String, recordCount: Int64) {
        self.expectedDigest = expectedDigest
        self.recordCount = recordCount
    }

    func consume(_ bytes: [UInt8]) throws {
        hasher.update(bytes)
    }

    func finish() throws -> (recordCount: Int64?, contentDigest: String?) {
        let digest = Hex.encode(hasher.finalize())
        return (digest == expectedDigest ? recordCount : nil, digest)
    }
}

/// The redis source's own check in a verify: the RDB's structure and CRC-64, and its key count.
final class RDBChecker: SnapshotChecker {
    private var scanner = RDBScanner()
    private var hasher = SHA256.Hasher()

    func consume(_ bytes: [UInt8]) throws {
        try scanner.consume(bytes)
        hasher.update(bytes)
    }

    func finish() throws -> (recordCount: Int64?, contentDigest: String?) {
        let (summary, digest) = try finishWithSummary()
        return (summary.keys, digest)
    }

    /// The scan's summary and the SHA-256 of the RDB.
    func finishWithSummary() throws -> (RDBScanner.Summary, String) {
        (try scanner.finish(), Hex.encode(hasher.finalize()))
    }
}
