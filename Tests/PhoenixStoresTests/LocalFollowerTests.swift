import FoundationEssentials
import Glibc
import PhoenixDomain
import PhoenixStores
import Synchronization
import Testing

/// A local upload read while it is written (`ObjectUpload.follow()`): what a backup's read-back
/// beside its snapshot relies on.
@Suite struct LocalFollowerTests {
    @Test func aFollowerReadsWhatIsWrittenWaitsForMoreAndEndsOnceTheObjectIsComplete() async throws {
        try await Self.withFollowedUpload { _, store, upload, follower in
            let first = ArtifactStoreContract.bytes(300_000)
            try await upload.write(first)
            // Only what is written, and never more than asked.
            var read = try await follower.read(maxCount: 100_000)
            #expect(read == Array(first[..<100_000]))
            read += try await follower.read(maxCount: 1 << 20)
            #expect(read == first)

            // A read beyond what is written waits for the next write.
            let waiting = Self.reading(follower)
            try await Task.sleep(for: .milliseconds(100))
            #expect(!waiting.returned.isSet, "a read returned before anything more was written")
            let second = ArtifactStoreContract.bytes(5, seed: 9)
            try await upload.write(second)
            #expect(try await waiting.task.value == second)

            // The end comes only after complete(), even once every byte has been read.
            let end = Self.reading(follower)
            try await Task.sleep(for: .milliseconds(100))
            #expect(!end.returned.isSet, "the end came before the upload completed")
            let stored = try await upload.complete()
            #expect(try await end.task.value == [])
            #expect(stored.size == Int64(first.count + second.count))
            #expect(try await ArtifactStoreContract.readAll(store, "a/x.pdr") == first + second)
            await follower.close()
        }
    }

    /// A fresh local store, an upload of `a/x.pdr` in it, and a follower of that upload.
    private static func withFollowedUpload(
        _ body: (TemporaryFolder, LocalStore, any ObjectUpload, any ObjectDownload) async throws -> Void
    ) async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let store = LocalStore(name: "local", root: folder.path)
        let upload = try await store.upload("a/x.pdr")
        let follower = try #require(try await upload.follow())
        try await body(folder, store, upload, follower)
    }

    /// A read in a task of its own, and a flag set once it has returned.
    private static func reading(_ follower: any ObjectDownload) -> (task: Task<[UInt8], any Error>, returned: Flag) {
        let returned = Flag()
        let task = Task {
            defer { returned.set() }
            return try await follower.read(maxCount: 1 << 20)
        }
        return (task, returned)
    }

    @Test func aFollowerOfAnAbortedUploadFailsAndTheFileIsGone() async throws {
        try await Self.withFollowedUpload { folder, _, upload, follower in
            try await upload.write([1, 2, 3])
            #expect(try await follower.read(maxCount: 3) == [1, 2, 3])
            let waiting = Task { try await follower.read(maxCount: 3) }
            try await Task.sleep(for: .milliseconds(50))
            await upload.abort()
            let error = await #expect(throws: StoreError.self) { try await waiting.value }
            #expect(error?.message.contains("abandoned") == true, "\(String(describing: error))")
            #expect(try folder.files(in: "a").isEmpty)
            await #expect(throws: StoreError.self) { try await upload.follow() }
        }
    }

    @Test func aFollowerRefusesTheEndWhenAnotherFileTookTheKey() async throws {
        try await Self.withFollowedUpload { folder, _, upload, follower in
            try await upload.write([1, 2, 3])
            _ = try await upload.complete()
            #expect(try await follower.read(maxCount: 10) == [1, 2, 3])
            // Another file of the same bytes put in its place: the end is not the file read.
            try Data([1, 2, 3]).write(to: URL(fileURLWithPath: folder.path + "/a/other"))
            #expect(rename(folder.path + "/a/other", folder.path + "/a/x.pdr") == 0)
            let error = await #expect(throws: StoreError.self) { try await follower.read(maxCount: 10) }
            #expect(error?.message.contains("not the file that was written") == true, "\(String(describing: error))")
        }
    }

    @Test func aWaitingReadEndsWhenItsTaskIsCancelled() async throws {
        try await Self.withFollowedUpload { _, _, upload, follower in
            let reading = Task { try await follower.read(maxCount: 10) }
            try await Task.sleep(for: .milliseconds(50))
            reading.cancel()
            await #expect(throws: CancellationError.self) { try await reading.value }
            // The upload itself goes on.
            try await upload.write([7])
            _ = try await upload.complete()
            #expect(try await follower.read(maxCount: 10) == [7])
            #expect(try await follower.read(maxCount: 10) == [])
        }
    }
}

/// A shared flag for a task to set.
private final class Flag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .relaxed) }
    var isSet: Bool { value.load(ordering: .relaxed) }
}
