import PhoenixCrypto
import PhoenixDomain

/// The vault source's own check of a snapshot: it is a raft snapshot as Vault writes it (a gzip
/// stream: `1f 8b 08`), not empty, and its SHA-256 is the content digest. Vault checks the
/// archive's SHA256SUMS itself on restore; this catches the wrong file and an HTML page early.
final class VaultSnapshotChecker: SnapshotChecker {
    private var hasher = SHA256.Hasher()
    private var head: [UInt8] = []
    private(set) var byteCount: Int64 = 0

    func consume(_ bytes: [UInt8]) throws {
        if head.count < 3 {
            head += bytes.prefix(3 - head.count)
            if head.count == 3 || bytes.count < 3 { try checkHead(final: false) }
        }
        byteCount += Int64(bytes.count)
        hasher.update(bytes)
    }

    func finish() throws -> (recordCount: Int64?, contentDigest: String?) {
        guard byteCount > 0 else { throw VaultError(.unexpectedAnswer, "the Vault snapshot is empty") }
        try checkHead(final: true)
        return (nil, Hex.encode(hasher.finalize()))
    }

    private func checkHead(final: Bool) throws {
        let expected: [UInt8] = [0x1F, 0x8B, 0x08]
        guard head.count == 3 || final else {
            guard Array(expected.prefix(head.count)) == head else { throw Self.notASnapshot }
            return
        }
        guard head == expected else { throw Self.notASnapshot }
    }

    private static let notASnapshot = VaultError(.unexpectedAnswer, "this is not a Vault raft snapshot (Vault writes a gzip stream; these bytes are not one)")
}
