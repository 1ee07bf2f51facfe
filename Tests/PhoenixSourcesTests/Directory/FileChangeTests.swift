import FoundationEssentials
import Glibc
import Testing

@testable import PhoenixSources

/// A file that changes size while it is read still gives a valid archive, and a warning.
/// The change happens in `readObserver`, on the archiver's queue after its first `read`, so the
/// order of events is fixed.
struct FileChangeTests {
    private let chunk = 64 * 1024
    private let original = TreeFixture.pseudoRandomBytes(count: 300 * 1024)

    private func archive(_ source: String, change: @escaping @Sendable (String) -> Void) async throws -> ([UInt8], ArchiveSummary) {
        var options = ArchiveOptions(chunkSize: chunk)
        options.readObserver = { path, bytesRead in
            if path == "changing.bin", bytesRead == 64 * 1024 { change(source + "/changing.bin") }
        }
        return try await TarTestSupport.archive(source, options: options)
    }

    @Test func aFileThatShrinksIsZeroFilledToItsHeaderSize() async throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let source = try temporary.folder("source")
        try TreeFixture.write("changing.bin", original, in: source)

        let (bytes, summary) = try await archive(source) { path in _ = truncate(path, 100 * 1024) }
        #expect(summary.warnings == [ArchiveWarning(path: "changing.bin", kind: .changedDuringRead, detail: "size 307200 → 102400, zero-filled")])
        #expect(summary.tree.fileBytes == 300 * 1024)

        let target = try temporary.folder("target")
        #expect(try await TarTestSupport.extract(bytes, into: target) == summary.tree)
        let restored = try FileBytes.read(target + "/changing.bin")
        #expect(restored.count == 300 * 1024)
        #expect(restored[..<(100 * 1024)] == original[..<(100 * 1024)])
        #expect(restored[(100 * 1024)...].allSatisfy { $0 == 0 })
    }

    @Test func aFileThatGrowsIsCutAtItsHeaderSize() async throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let source = try temporary.folder("source")
        try TreeFixture.write("changing.bin", original, in: source)
        try TreeFixture.write("next.txt", Array("after".utf8), in: source)

        let (bytes, summary) = try await archive(source) { path in
            let fd = open(path, O_WRONLY | O_APPEND)
            let more = [UInt8](repeating: 0xAB, count: 1024 * 1024)
            _ = more.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
        #expect(summary.warnings == [ArchiveWarning(path: "changing.bin", kind: .changedDuringRead, detail: "size 307200 → 1355776")])

        let entries = try TarTestSupport.events(bytes)
        #expect(entries.map(\.0.path) == ["changing.bin", "next.txt"])
        #expect(entries[0].1 == original)
        #expect(try TarTestSupport.verify(bytes) == summary.tree)
    }
}
