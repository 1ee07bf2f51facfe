import Foundation
import PhoenixDomain

/// The vault source's own check in a read-back and a verify: the snapshot passes
/// `VaultSnapshotStream` and is written to a scratch file; then its archive is read as Vault
/// reads it on restore: the gzip stream whole (CRC and length) and the tar whole, and
/// `meta.json` and `state.bin` must hash to what its `SHA256SUMS` says. The members are read
/// through `tar -xzO` into a hash, never extracted to disk.
///
/// Count: none (the raft state is opaque to us). Digest: the SHA-256 of the snapshot.
final class VaultSnapshotChecker: SnapshotChecker {
    private var stream = VaultSnapshotStream()
    private let scratch: String
    private let path: String
    private let file: FileHandle

    init(scratchDirectory: String? = nil) throws {
        let base = scratchDirectory ?? FileManager.default.temporaryDirectory.path
        scratch = (base as NSString).appendingPathComponent("phoenix-vault-\(UUID().uuidString.lowercased())")
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        path = (scratch as NSString).appendingPathComponent("snapshot.snap")
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
              let file = FileHandle(forWritingAtPath: path) else {
            throw VaultError(.invalidSettings, "cannot write a scratch file in \(base)")
        }
        self.file = file
    }

    deinit {
        try? file.close()
        try? FileManager.default.removeItem(atPath: scratch)
    }

    func consume(_ bytes: [UInt8]) throws {
        try stream.consume(bytes)
        try file.write(contentsOf: bytes)
    }

    func finish() async throws -> (recordCount: Int64?, contentDigest: String?) {
        try file.close()
        let digest = try stream.finish()
        let sums = try await VaultArchive.member("SHA256SUMS", of: path, limit: 64 * 1024)
        let listed = VaultArchive.parseSums(String(decoding: sums, as: UTF8.self))
        for name in ["meta.json", "state.bin"] {
            guard let expected = listed[name] else { throw VaultError(.unexpectedAnswer, "the Vault snapshot's SHA256SUMS does not list \(name)") }
            guard try await VaultArchive.memberDigest(name, of: path) == expected else {
                throw VaultError(.unexpectedAnswer, "the Vault snapshot's \(name) does not match its SHA256SUMS: the snapshot is damaged")
            }
        }
        return (nil, digest)
    }
}
