import PhoenixCrypto

/// What every reader of a snapshot checks as the bytes pass: it starts as a raft snapshot does
/// (a gzip stream, `1f 8b 08`), it is not empty, and its SHA-256 is the content digest. Used by
/// the source and the restore, which cannot hold the whole snapshot; the verify goes further
/// (`VaultSnapshotChecker`).
struct VaultSnapshotStream: ~Copyable {
    private var hasher = SHA256.Hasher()
    private var head: [UInt8] = []
    private(set) var byteCount: Int64 = 0

    mutating func consume(_ bytes: [UInt8]) throws(VaultError) {
        if head.count < 3 {
            head += bytes.prefix(3 - head.count)
            guard Array(Self.gzipMagic.prefix(head.count)) == head else { throw Self.notASnapshot }
        }
        byteCount += Int64(bytes.count)
        hasher.update(bytes)
    }

    /// The SHA-256 of the snapshot, once it is whole.
    mutating func finish() throws(VaultError) -> String {
        guard byteCount > 0 else { throw VaultError(.unexpectedAnswer, "the Vault snapshot is empty") }
        guard head == Self.gzipMagic else { throw Self.notASnapshot }
        return Hex.encode(hasher.finalize())
    }

    private static let gzipMagic: [UInt8] = [0x1F, 0x8B, 0x08]
    static let notASnapshot = VaultError(.unexpectedAnswer, "this is not a Vault raft snapshot (Vault writes a gzip stream; these bytes are not one)")
}
