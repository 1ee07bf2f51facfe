import FoundationEssentials
import Glibc
import PhoenixDomain
import PhoenixStores
import Testing

/// The store contract on the local store, and what only files show: no temporary file left
/// behind, empty folders removed, permissions.
@Suite struct LocalStoreTests {
    @Test(arguments: ArtifactStoreContract.allCases)
    func contract(_ contractCase: ArtifactStoreContract.Case) async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try await contractCase.run { LocalStore(name: "local", root: folder.path) }
    }

    @Test func anAbortedOrReleasedUploadLeavesNoFileBehind() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let store = LocalStore(name: "local", root: folder.path + "/")
        let aborted = try await store.upload("a/x.pdr")
        try await aborted.write([1, 2, 3])
        await aborted.abort()
        do {
            let released = try await store.upload("a/y.pdr")
            try await released.write([1, 2, 3])
        }
        #expect(try folder.files(in: "a").isEmpty)
    }

    @Test func objectsAreWrittenPrivatelyAndDeletingTheLastRemovesItsFolders() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let store = LocalStore(name: "local", root: folder.path)
        try await ArtifactStoreContract.put(store, "redis/2026/11/27/a.pdr", [1])
        try await ArtifactStoreContract.put(store, "redis/2026/11/28/b.pdr", [2])
        var info = stat()
        #expect(stat(folder.path + "/redis/2026/11/27/a.pdr", &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)

        try await store.delete(["redis/2026/11/27/a.pdr"])
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/redis/2026/11/27"))
        #expect(FileManager.default.fileExists(atPath: folder.path + "/redis/2026/11/28/b.pdr"))
    }

    @Test func listingSkipsUploadsInProgressAndDoesNotFollowLinks() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let store = LocalStore(name: "local", root: folder.path)
        try await ArtifactStoreContract.put(store, "d/a.pdr", [1])
        let pending = try await store.upload("d/b.pdr")
        try await pending.write([1])
        #expect(symlink("/etc", folder.path + "/d/etc") == 0)
        #expect(try await store.list(prefix: "").map(\.key) == ["d/a.pdr"])
        await pending.abort()
        await #expect(throws: StoreError.self) { _ = try await store.download("d/etc/passwd") }
    }

    @Test func aRootThatCannotBeWrittenIsAClearError() async throws {
        let store = LocalStore(name: "local", root: "/proc/phoenix-no-such-root")
        let error = await #expect(throws: StoreError.self) { _ = try await store.upload("a/b.pdr") }
        #expect(error?.message.hasPrefix("could not write a/b.pdr") == true)
    }
}

struct TemporaryFolder: Sendable {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appending(path: "t_\(UUID().uuidString.lowercased())").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func files(in folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path + "/" + folder)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
