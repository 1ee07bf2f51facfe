import Foundation
import Testing

@testable import PhoenixSources

/// GNU tar reads what we write, and we read what GNU tar writes, with identical results.
struct TarInteropTests {
    @Test func gnuTarListsAndExtractsOurArchiveIdentically() async throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let source = try temporary.folder("source")
        let target = try temporary.folder("target")
        try TreeFixture.build(at: source, largeFileSize: 1024 * 1024 + 3)
        let (bytes, _) = try await TarTestSupport.archive(source)
        let archive = temporary.path + "/ours.tar"
        try Data(bytes).write(to: URL(filePath: archive))

        let listing = try await GNUTar.run(["-tvf", archive])
        #expect(listing.status == 0, "\(listing.errors)")
        #expect(listing.errors.isEmpty)
        #expect(listing.output.contains(TreeFixture.longPath))
        #expect(listing.output.contains("ünïcødé/日本語.txt"))
        #expect(listing.output.contains("link-absolute -> /etc/hostname"))

        let extraction = try await GNUTar.run(["-xf", archive, "-C", target])
        #expect(extraction.status == 0, "\(extraction.errors)")
        #expect(try TreeSnapshot(of: target) == TreeSnapshot(of: source))
    }

    @Test(arguments: ["pax", "gnu"])
    func ourReaderReadsGNUTarArchivesIdentically(format: String) async throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let source = try temporary.folder("source")
        try TreeFixture.build(at: source, largeFileSize: 1024 * 1024 + 3)
        try await expectGNUArchiveMatches(source, format: format, in: temporary)
    }

    @Test func ourReaderReadsPlainUstarFromGNUTar() async throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let source = try temporary.folder("source")
        try TreeFixture.write("dir/file.txt", Array("ustar".utf8), in: source, mode: 0o640)
        // Over 100 bytes: GNU tar splits it into the ustar prefix and name fields.
        try TreeFixture.write(String(repeating: "p", count: 90) + "/" + String(repeating: "n", count: 60) + ".txt", [1, 2, 3], in: source)
        try FileManager.default.createSymbolicLink(atPath: source + "/dir/link", withDestinationPath: "file.txt")
        try await expectGNUArchiveMatches(source, format: "ustar", in: temporary)
    }

    /// GNU tar archives `source` in `format`; our verifier must agree with our archiver's
    /// summary, and our extractor must rebuild the tree exactly.
    private func expectGNUArchiveMatches(_ source: String, format: String, in temporary: TemporaryDirectory) async throws {
        let archive = temporary.path + "/gnu.tar"
        let creation = try await GNUTar.run(["--format=\(format)", "-cf", archive, "-C", source, "."])
        try #require(creation.status == 0, "\(creation.errors)")
        let bytes = try [UInt8](Data(contentsOf: URL(filePath: archive)))
        let (_, ours) = try await TarTestSupport.archive(source)

        #expect(try TarTestSupport.verify(bytes, pieceSize: 10_000) == ours.tree)
        let target = try temporary.folder("target")
        #expect(try await TarTestSupport.extract(bytes, into: target, pieceSize: 3_333) == ours.tree)
        #expect(try TreeSnapshot(of: target) == TreeSnapshot(of: source))
    }
}
