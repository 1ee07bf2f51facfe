import FoundationEssentials
import Glibc
import PhoenixCrypto
import Testing

@testable import PhoenixSources

/// What the archiver stores, skips and reports.
struct DirectoryArchiverTests {
    @Test func socketsAndFIFOsAreSkippedWithAWarning() async throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let source = try temporary.folder("source")
        try TreeFixture.write("kept.txt", [1], in: source)
        #expect(mkfifo(source + "/pipe", 0o600) == 0)
        #expect(mknod(source + "/sock", S_IFSOCK | 0o600, 0) == 0)

        let (bytes, summary) = try await TarTestSupport.archive(source)
        #expect(try TarTestSupport.events(bytes).map(\.0.path) == ["kept.txt"])
        #expect(summary.warnings == [
            ArchiveWarning(path: "pipe", kind: .skippedSpecialFile, detail: "fifo"),
            ArchiveWarning(path: "sock", kind: .skippedSpecialFile, detail: "socket"),
        ])
    }

    @Test func symlinksToFoldersAreStoredAsLinksAndNotEntered() async throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let source = try temporary.folder("source")
        let outside = try temporary.folder("outside")
        try TreeFixture.write("secret.txt", Array("outside".utf8), in: outside)
        try FileManager.default.createSymbolicLink(atPath: source + "/out", withDestinationPath: outside)

        let (bytes, summary) = try await TarTestSupport.archive(source)
        let entries = try TarTestSupport.events(bytes)
        #expect(entries.map(\.0) == [entries[0].0])
        #expect(entries[0].0.kind == .symlink && entries[0].0.linkTarget == outside)
        #expect(summary.tree.fileCount == 0)
    }

    @Test func excludedNamesAndPathsAreLeftOutWithEverythingBeneath() async throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let source = try temporary.folder("source")
        for path in ["keep/a.txt", "keep/b.tmp", "cache/x", "cache/y/z", "logs/old.gz", "logs/new.log", "deep/logs/old.gz"] {
            try TreeFixture.write(path, [1], in: source)
        }
        let options = ArchiveOptions(excludes: ["*.tmp", "cache", "/logs/*.gz"])

        let (bytes, _) = try await TarTestSupport.archive(source, options: options)
        let paths = try TarTestSupport.events(bytes).map(\.0.path)
        #expect(paths == ["deep", "deep/logs", "deep/logs/old.gz", "keep", "keep/a.txt", "logs", "logs/new.log"])
    }

    @Test func namesThatAreNotUTF8AreSkippedWithAWarning() async throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let source = try temporary.folder("source")
        let name: [CChar] = Array("\(source)/bad-".utf8CString.dropLast()) + [CChar(bitPattern: 0xE9), 0]
        let fd = open(name, O_CREAT | O_WRONLY, 0o644)
        #expect(fd >= 0)
        close(fd)

        let (bytes, summary) = try await TarTestSupport.archive(source)
        #expect(try TarTestSupport.events(bytes).isEmpty)
        #expect(summary.warnings.map(\.kind) == [.undecodableName])
        #expect(summary.warnings.first?.path == "bad-\u{FFFD}")
    }

    @Test func theDigestFollowsItsDocumentedDefinition() async throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let source = try temporary.folder("source")
        try TreeFixture.write("d/my file%.txt", Array("abc".utf8), in: source)
        try FileManager.default.createSymbolicLink(atPath: source + "/l", withDestinationPath: "d")

        let (_, summary) = try await TarTestSupport.archive(source)
        let lines = [
            "d d 0 -\n",
            "f d/my%20file%25.txt 3 \(SHA256.hex(Array("abc".utf8)))\n",
            "l l 1 \(SHA256.hex(Array("d".utf8)))\n",
        ]
        #expect(summary.tree == TreeSummary(fileCount: 1, fileBytes: 3, digest: SHA256.hex(Array(lines.joined().utf8))))
    }

    @Test func theDigestDoesNotDependOnOrder() {
        var forward = TreeDigest()
        forward.addDirectory(path: "a")
        forward.addFile(path: "a/x", size: 1, contentSHA256: SHA256.digest([1]))
        forward.addSymlink(path: "b", target: "a")
        var backward = TreeDigest()
        backward.addSymlink(path: "b", target: "a")
        backward.addFile(path: "a/x", size: 1, contentSHA256: SHA256.digest([1]))
        backward.addDirectory(path: "a")
        #expect(forward.summary() == backward.summary())
        #expect(TreeDigest.escaped("a b\n%\u{7F}é") == Array("a%20b%0A%25%7Fé".utf8))
    }

    /// The compact digest equals the definition written out: every line rendered, sorted by
    /// its bytes, hashed. The paths include prefixes of each other, bytes that are escaped,
    /// the same path twice and a directory beside a file of the same name.
    @Test func theDigestMatchesItsDefinitionLineByLine() {
        let paths = ["a", "a/b", "a b", "a%", "a\nb", "a/b/c", "ab", "a.", "é", "z", "a-", "\u{7F}x"]
        var digest = TreeDigest()
        var lines: [[UInt8]] = []
        func line(_ type: String, _ path: String, _ rest: String) -> [UInt8] {
            Array(type.utf8) + [UInt8(ascii: " ")] + TreeDigest.escaped(path) + Array(" \(rest)\n".utf8)
        }
        for (index, path) in paths.enumerated() {
            let content = [UInt8](repeating: UInt8(index), count: index)
            digest.addFile(path: path, size: Int64(index * 1_000), contentSHA256: SHA256.digest(content))
            lines.append(line("f", path, "\(index * 1_000) \(SHA256.hex(content))"))
            if index % 3 == 0 {
                digest.addDirectory(path: path)
                lines.append(line("d", path, "0 -"))
            }
            if index % 4 == 1 {
                digest.addSymlink(path: path + "/link", target: path)
                lines.append(line("l", path + "/link", "\(path.utf8.count) \(SHA256.hex(Array(path.utf8)))"))
            }
        }
        // The same path twice, in an order its lines would not sort in.
        digest.addFile(path: "dup", size: 9, contentSHA256: SHA256.digest([9]))
        digest.addFile(path: "dup", size: 10, contentSHA256: SHA256.digest([10]))
        lines.append(line("f", "dup", "9 \(SHA256.hex([9]))"))
        lines.append(line("f", "dup", "10 \(SHA256.hex([10]))"))

        let expected = SHA256.hex(Array(lines.sorted { $0.lexicographicallyPrecedes($1) }.joined()))
        let summary = digest.summary()
        #expect(summary.digest == expected)
        #expect(summary.fileCount == paths.count + 2)
        #expect(summary.fileBytes == Int64((0..<paths.count).reduce(0) { $0 + $1 * 1_000 } + 19))
    }

    @Test func aMissingRootIsASystemError() async {
        let archiver = DirectoryArchiver(root: "/nonexistent/t_root", logger: TarTestSupport.logger)
        await #expect(throws: DirectorySourceError.system(operation: "openat", path: "/nonexistent/t_root", errno: ENOENT)) {
            _ = try await archiver.archive(into: ChunkRecorder().sink)
        }
    }

    @Test func cancellationStopsTheWalk() async throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let source = try temporary.folder("source")
        try TreeFixture.write("a", [1], in: source)
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await TarTestSupport.archive(source)
        }
        await #expect(throws: CancellationError.self) { _ = try await task.value }
    }
}
