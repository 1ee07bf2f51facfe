import FoundationEssentials
import Testing

@testable import PhoenixSources

/// Restores never write outside the target, through a symlink, or over existing data unasked.
struct DirectoryExtractorSafetyTests {
    private func file(_ path: String, _ text: String = "pwned") -> (TarEntry, [UInt8]) {
        (TarEntry(kind: .file, path: path, size: Int64(text.utf8.count)), Array(text.utf8))
    }

    private func exists(_ path: String) -> Bool {
        (try? FileManager.default.attributesOfItem(atPath: path)) != nil
    }

    @Test func parentReferencesAreRefusedAndNothingLandsOutside() async throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let target = try temporary.folder("target")
        for path in ["../evil", "a/../../evil", "./../evil", ".."] {
            let bytes = try await TarTestSupport.makeArchive([file(path)])
            await #expect(throws: DirectorySourceError.unsafePath(path: path, reason: .parentReference)) {
                _ = try await TarTestSupport.extract(bytes, into: target)
            }
            #expect(throws: DirectorySourceError.unsafePath(path: path, reason: .parentReference)) {
                _ = try TarTestSupport.verify(bytes)
            }
        }
        #expect(!exists(temporary.path + "/evil"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: target).isEmpty)
    }

    @Test func absolutePathsAreRefused() async throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let absolute = temporary.path + "/abs"
        let bytes = try await TarTestSupport.makeArchive([file(absolute)])
        await #expect(throws: DirectorySourceError.unsafePath(path: absolute, reason: .absolute)) {
            _ = try await TarTestSupport.extract(bytes, into: try temporary.folder("target"))
        }
        #expect(!exists(absolute))
    }

    @Test func aSymlinkPointingOutsideIsCreatedButNeverWrittenThrough() async throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let outside = try temporary.folder("outside")
        let link = (TarEntry(kind: .symlink, path: "link", linkTarget: outside), [UInt8]())
        for (path, reason) in [("link/file", DirectorySourceError.UnsafePathReason.throughSymlink), ("link/../x", .parentReference)] {
            let target = try temporary.folder("target-\(reason.hashValue)")
            let bytes = try await TarTestSupport.makeArchive([link, file(path)])
            await #expect(throws: DirectorySourceError.unsafePath(path: path, reason: reason)) {
                _ = try await TarTestSupport.extract(bytes, into: target)
            }
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: target + "/link") == outside)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside).isEmpty)
    }

    @Test func aSymlinkAlreadyOnDiskIsNotFollowedEither() async throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let outside = try temporary.folder("outside")
        let target = try temporary.folder("target")
        try FileManager.default.createSymbolicLink(atPath: target + "/pre", withDestinationPath: outside)
        for path in ["pre/file", "pre/deeper/file"] {
            let bytes = try await TarTestSupport.makeArchive([file(path)])
            await #expect(throws: DirectorySourceError.unsafePath(path: "pre", reason: .throughSymlink)) {
                _ = try await TarTestSupport.extract(bytes, into: target, overwrite: true)
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside).isEmpty)
    }

    @Test func existingFilesAreKeptUnlessOverwriteIsAsked() async throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let target = try temporary.folder("target")
        try TreeFixture.write("keep.txt", Array("original".utf8), in: target)
        let bytes = try await TarTestSupport.makeArchive([file("keep.txt", "replaced")])

        await #expect(throws: DirectorySourceError.alreadyExists(path: "keep.txt")) {
            _ = try await TarTestSupport.extract(bytes, into: target)
        }
        #expect(try String(contentsOfFile: target + "/keep.txt", encoding: .utf8) == "original")
        #expect(try FileManager.default.contentsOfDirectory(atPath: target) == ["keep.txt"])  // no temporary left

        _ = try await TarTestSupport.extract(bytes, into: target, overwrite: true)
        #expect(try String(contentsOfFile: target + "/keep.txt", encoding: .utf8) == "replaced")
    }

    @Test func duplicateEntriesAreRefused() async throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let bytes = try await TarTestSupport.makeArchive([file("twice"), file("./twice")])
        await #expect(throws: DirectorySourceError.duplicateEntry(path: "twice")) {
            _ = try await TarTestSupport.extract(bytes, into: try temporary.folder("target"), overwrite: true)
        }
    }

    @Test func aFailedRestoreLeavesNoTemporaryFileAndKeepsFailing() async throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let target = try temporary.folder("target")
        let bytes = try await TarTestSupport.makeArchive([file("done", "ok"), (TarEntry(kind: .file, path: "half", size: 2000), [UInt8](repeating: 1, count: 2000))])
        let extractor = try DirectoryExtractor(root: target, logger: TarTestSupport.logger)
        try await extractor.write(Array(bytes[..<2000]))
        await #expect(throws: DirectorySourceError.truncated(offset: 2000, point: .content)) { try await extractor.finish() }
        await #expect(throws: DirectorySourceError.truncated(offset: 2000, point: .content)) { try await extractor.write(Array(bytes[2000...])) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: target) == ["done"])
    }

    @Test func aMissingTargetIsASystemError() {
        #expect(throws: DirectorySourceError.system(operation: "openat", path: "/nonexistent/t_x", errno: 2)) {
            _ = try DirectoryExtractor(root: "/nonexistent/t_x", logger: TarTestSupport.logger)
        }
    }
}
