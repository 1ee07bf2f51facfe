import Testing

@testable import PhoenixSources

/// Backup → restore of a real tree gives the same tree, count and digest.
struct DirectoryRoundTripTests {
    @Test func restoredTreeIsIdenticalWithTheSameCountAndDigest() async throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let source = try temporary.folder("source")
        let target = try temporary.folder("target")
        try TreeFixture.build(at: source)

        let (bytes, backup) = try await TarTestSupport.archive(source)
        let restored = try await TarTestSupport.extract(bytes, into: target, pieceSize: 77_777)

        #expect(backup.warnings.isEmpty)
        #expect(backup.archiveBytes == Int64(bytes.count))
        #expect(backup.tree.fileCount == 12)
        #expect(restored == backup.tree)
        #expect(try TarTestSupport.verify(bytes) == backup.tree)
        let expected = try TreeSnapshot(of: source)
        let actual = try TreeSnapshot(of: target)
        #expect(actual == expected, "\(actual)")
        #expect(expected.nodes[TreeFixture.longPath]?.kind == "f")
        #expect(expected.nodes["secret.key"]?.modificationTime == -86_400)
    }

    @Test func theSameTreeGivesTheSameStreamEveryTime() async throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let source = try temporary.folder("source")
        try TreeFixture.build(at: source, largeFileSize: 100_000)

        let first = try await TarTestSupport.archive(source)
        let second = try await TarTestSupport.archive(source)
        #expect(first.bytes == second.bytes)
        #expect(first.summary == second.summary)
    }

    @Test func entriesComeInByteOrderDepthFirst() async throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let source = try temporary.folder("source")
        for path in ["b/z", "b/a", "a-b", "a/x", "A", "é"] {
            try TreeFixture.write(path, [], in: source)
        }

        let (bytes, _) = try await TarTestSupport.archive(source)
        let paths = try TarTestSupport.events(bytes).map(\.0.path)
        #expect(paths == ["A", "a", "a/x", "a-b", "b", "b/a", "b/z", "é"])
    }

    @Test func restoringAnEmptyTreeGivesTheDigestOfNoLines() async throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let source = try temporary.folder("source")

        let (bytes, backup) = try await TarTestSupport.archive(source)
        #expect(bytes.count == 1024)
        #expect(backup.tree == TreeSummary(fileCount: 0, fileBytes: 0, digest: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"))
        #expect(try await TarTestSupport.extract(bytes, into: try temporary.folder("target")) == backup.tree)
    }

    @Test func concurrentCallsOnOneArchiverAndSeveralExtractorsStayIndependent() async throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let source = try temporary.folder("source")
        try TreeFixture.build(at: source, largeFileSize: 300_000)
        let archiver = DirectoryArchiver(root: source, options: ArchiveOptions(chunkSize: 64 * 1024), logger: TarTestSupport.logger)

        let archives = try await withThrowingTaskGroup(of: ([UInt8], ArchiveSummary).self) { group in
            for _ in 0..<4 {
                group.addTask {
                    let recorder = ChunkRecorder()
                    let summary = try await archiver.archive(into: recorder.sink)
                    return (recorder.bytes, summary)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(archives.map(\.0)).count == 1)
        let backup = try #require(archives.first?.1)

        let restored = try await withThrowingTaskGroup(of: TreeSummary.self) { group in
            for (index, (bytes, _)) in archives.enumerated() {
                let target = try temporary.folder("target\(index)")
                group.addTask { try await TarTestSupport.extract(bytes, into: target, pieceSize: 10_000 + index) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(restored == Array(repeating: backup.tree, count: 4))
    }
}
