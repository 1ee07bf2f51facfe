import ArgumentParser
import Foundation
import PhoenixArtifact
import PhoenixSources

/// The file work behind `phoenix-dr artifact`: streams of 1 MiB, so a 100 GiB artifact needs no
/// more memory than a small one.
enum ArtifactFiles {
    static let manifestSuffix = ".manifest.json"

    /// Every readable manifest under `folder`, by path; unreadable ones are reported on stderr.
    static func manifests(under folder: String) throws -> [(String, ArtifactManifest)] {
        guard let walker = FileManager.default.enumerator(atPath: folder) else { throw ValidationError("cannot read \(folder)") }
        var found: [(String, ArtifactManifest)] = []
        while let relative = walker.nextObject() as? String {
            guard relative.hasSuffix(manifestSuffix) else { continue }
            let path = (folder as NSString).appendingPathComponent(relative)
            do {
                found.append((path, try ArtifactManifest.decode(try readSmall(path))))
            } catch {
                FileHandle.standardError.write(Data("\(path): \(error)\n".utf8))
            }
        }
        return found.sorted { $0.1.snapshotTime > $1.1.snapshotTime }
    }

    static func tableRow(_ manifest: ArtifactManifest) -> String {
        func pad(_ text: String, _ width: Int) -> String { text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count) }
        return pad(manifest.id.rawValue, 27) + pad(manifest.dataset, 17) + pad(manifest.snapshotTime.formatted(.iso8601), 24)
            + pad(String(manifest.storedBytes), 14) + pad(manifest.recordCount.map(String.init) ?? "-", 9)
            + (manifest.keyID?.rawValue ?? "(plain)")
    }

    static func jsonLine(_ manifest: ArtifactManifest, path: String) throws -> [UInt8] {
        let object = try JSONSerialization.jsonObject(with: Data(manifest.encode())) as? [String: Any] ?? [:]
        var line = object
        line["path"] = path
        return Array(try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys, .withoutEscapingSlashes]))
    }

    /// Reads the artifact through every check and compares it with the manifest beside it.
    static func verify(_ path: String, keyring: Keyring) throws -> String {
        let manifestPath = path.hasSuffix(".pdr") ? String(path.dropLast(4)) + manifestSuffix : path + manifestSuffix
        let manifest = FileManager.default.fileExists(atPath: manifestPath) ? try ArtifactManifest.decode(try readSmall(manifestPath)) : nil
        var checker = manifest?.sourceKind == "directory" ? DirectoryVerifier() : nil
        let result = try read(path, keyring: keyring, expectedStoredBytes: manifest?.storedBytes) { plaintext in
            try checker?.consume(plaintext)
        }
        var lines = ["artifact: \(path)", "chunks: \(result.chunks) authenticated", "stored: \(result.stored) bytes, sha256 \(result.sha256)",
                     "plaintext: \(result.raw) bytes"]
        guard let manifest else { return (lines + ["manifest: none beside the artifact; only the artifact itself was checked"]).joined(separator: "\n") }
        guard manifest.storedSHA256 == result.sha256, manifest.rawBytes == result.raw else {
            throw ValidationError("the artifact does not match its manifest (sha256 or size differs)")
        }
        if var verifier = checker {
            let tree = try verifier.finish()
            guard Int64(tree.fileCount) == manifest.recordCount, tree.digest == manifest.contentDigest else {
                throw ValidationError("the archive's files differ from the manifest's count or digest")
            }
            lines.append("files: \(tree.fileCount), digest as recorded")
        }
        return (lines + ["manifest: matches (\(manifest.dataset), snapshot \(manifest.snapshotTime.formatted(.iso8601)))"]).joined(separator: "\n")
    }

    /// Writes the plaintext to `output` (`-`: stdout); a partial file is removed on failure.
    static func decrypt(_ path: String, to output: String, keyring: Keyring) throws {
        let handle: FileHandle
        if output == "-" {
            handle = FileHandle.standardOutput
        } else {
            guard FileManager.default.createFile(atPath: output, contents: nil, attributes: [.posixPermissions: 0o600]),
                  let file = FileHandle(forWritingAtPath: output) else { throw ValidationError("cannot write \(output)") }
            handle = file
        }
        do {
            _ = try read(path, keyring: keyring, expectedStoredBytes: nil) { try handle.write(contentsOf: $0) }
        } catch {
            if output != "-" { try? FileManager.default.removeItem(atPath: output) }
            throw error
        }
    }

    struct ReadResult {
        var chunks: Int
        var stored: Int
        var raw: Int
        var sha256: String
    }

    /// Streams the file through an `ArtifactReader`, handing out authenticated plaintext only.
    static func read(_ path: String, keyring: Keyring, expectedStoredBytes: Int?, emit: ([UInt8]) throws -> Void) throws -> ReadResult {
        guard let file = FileHandle(forReadingAtPath: path) else { throw ValidationError("cannot read \(path)") }
        defer { try? file.close() }
        var reader = ArtifactReader(keyring: keyring, expectedStoredByteCount: expectedStoredBytes)
        while let data = try file.read(upToCount: 1 << 20), !data.isEmpty {
            try reader.consume(Array(data)) { try emit(Array($0)) }
        }
        try reader.finish { try emit(Array($0)) }
        return ReadResult(chunks: reader.chunkCount, stored: reader.storedByteCount, raw: reader.rawByteCount, sha256: reader.storedSHA256 ?? "")
    }

    private static func readSmall(_ path: String) throws -> [UInt8] {
        guard let file = FileHandle(forReadingAtPath: path) else { throw ValidationError("cannot read \(path)") }
        defer { try? file.close() }
        return Array(try file.read(upToCount: ArtifactManifest.maximumByteCount + 1) ?? Data())
    }
}
