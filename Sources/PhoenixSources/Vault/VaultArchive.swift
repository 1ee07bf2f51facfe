import PhoenixCrypto

/// Reads members of a snapshot file with `tar -xzO` (GNU tar and gzip, on every Debian): the
/// whole archive is read each time, so a damaged gzip stream or tar fails the read.
enum VaultArchive {
    /// A member's bytes, at most `limit` of them.
    static func member(_ name: String, of path: String, limit: Int) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        try await read(name, of: path) { piece in
            guard bytes.count + piece.count <= limit else { throw VaultError(.unexpectedAnswer, "the Vault snapshot's \(name) is larger than expected") }
            bytes += piece
        }
        return bytes
    }

    /// The SHA-256 (hex) of a member.
    static func memberDigest(_ name: String, of path: String) async throws -> String {
        var hasher = SHA256.Hasher()
        try await read(name, of: path) { hasher.update($0) }
        return Hex.encode(hasher.finalize())
    }

    /// `sha256sum` lines (`<hex>  <name>`) by name.
    static func parseSums(_ text: String) -> [String: String] {
        var sums: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let name = parts[1].hasPrefix(" ") || parts[1].hasPrefix("*") ? parts[1].dropFirst() : parts[1]
            sums[String(name)] = parts[0].lowercased()
        }
        return sums
    }

    private static func read(_ name: String, of path: String, _ consume: ([UInt8]) throws -> Void) async throws {
        let tar = try ChildProcess("tar", arguments: ["-xzOf", path, "--", name], environment: ["LC_ALL": "C"])
        do {
            while true {
                let piece = try await tar.read(maxCount: 1 << 20)
                if piece.isEmpty { break }
                try consume(piece)
            }
        } catch {
            tar.terminate()
            _ = await tar.wait()
            throw error
        }
        let status = await tar.wait()
        guard status == 0 else {
            let reason = tar.errorOutput.split(separator: "\n").prefix(2).joined(separator: "; ")
            throw VaultError(.unexpectedAnswer, "the Vault snapshot is not a whole archive with \(name) (tar: \(reason))")
        }
    }
}
