import FoundationEssentials
import PhoenixDomain
import Testing

/// What every `ArtifactStore` must do; each store's suite runs `allCases` on a fresh, empty store.
enum ArtifactStoreContract {
    typealias MakeStore = @Sendable () async throws -> any ArtifactStore

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let run: @Sendable (_ makeStore: MakeStore) async throws -> Void
        /// Whether the case lists with a non-empty prefix (see `S3StoreTests.contract`).
        var listsUnderAPrefix = false
        var testDescription: String { name }
    }

    static let allCases: [Case] = [
        Case(name: "an uploaded object reads back byte for byte", run: uploadedObjectReadsBackByteForByte),
        Case(name: "an object is invisible until its upload completes", run: objectIsInvisibleUntilItsUploadCompletes, listsUnderAPrefix: true),
        Case(name: "list returns the keys under a prefix in order", run: listReturnsTheKeysUnderAPrefixInOrder, listsUnderAPrefix: true),
        Case(name: "delete removes objects and ignores missing ones", run: deleteRemovesObjectsAndIgnoresMissingOnes, listsUnderAPrefix: true),
        Case(name: "a completed upload replaces the object", run: completedUploadReplacesTheObject),
        Case(name: "unsafe keys are refused", run: unsafeKeysAreRefused),
        Case(name: "a missing object is not found", run: missingObjectIsNotFound),
    ]

    /// `count` bytes of a repeatable pattern.
    static func bytes(_ count: Int, seed: UInt8 = 7) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed) &+ $0 >> 11) }
    }

    static func readAll(_ store: any ArtifactStore, _ key: String, pieces: Int = 64 * 1024) async throws -> [UInt8] {
        let download = try await store.download(key)
        var data: [UInt8] = []
        while true {
            let piece = try await download.read(maxCount: pieces)
            if piece.isEmpty { break }
            #expect(piece.count <= pieces)
            data += piece
        }
        await download.close()
        return data
    }

    static func put(_ store: any ArtifactStore, _ key: String, _ data: [UInt8]) async throws {
        let upload = try await store.upload(key)
        try await upload.write(data)
        _ = try await upload.complete()
    }

    static func uploadedObjectReadsBackByteForByte(makeStore: MakeStore) async throws {
        let store = try await makeStore()
        let data = bytes(3 * 1024 * 1024 + 17)
        let upload = try await store.upload("redis/2026/11/27/a.pdr")
        var offset = 0
        for size in [1, 1000, 1 << 20, 5, 1 << 21] where offset < data.count {
            let end = min(data.count, offset + size)
            try await upload.write(Array(data[offset..<end]))
            offset = end
        }
        try await upload.write(Array(data[offset...]))
        let stored = try await upload.complete()
        #expect(stored.key == "redis/2026/11/27/a.pdr")
        #expect(stored.size == Int64(data.count))

        #expect(try await readAll(store, "redis/2026/11/27/a.pdr") == data)
        #expect(try await store.head("redis/2026/11/27/a.pdr")?.size == Int64(data.count))
        try await put(store, "empty.json", [])
        #expect(try await readAll(store, "empty.json") == [])
    }

    static func objectIsInvisibleUntilItsUploadCompletes(makeStore: MakeStore) async throws {
        let store = try await makeStore()
        let upload = try await store.upload("vault/x.pdr")
        try await upload.write(bytes(4096))
        #expect(try await store.head("vault/x.pdr") == nil)
        #expect(try await store.list(prefix: "vault/").isEmpty)
        await upload.abort()
        #expect(try await store.head("vault/x.pdr") == nil)
        #expect(try await store.list(prefix: "").isEmpty)
        await upload.abort()  // a second abort is harmless
        await #expect(throws: StoreError.self) { _ = try await upload.complete() }
    }

    static func listReturnsTheKeysUnderAPrefixInOrder(makeStore: MakeStore) async throws {
        let store = try await makeStore()
        let keys = ["redis/2026/11/28/b.pdr", "redis/2026/11/27/a.pdr", "redis/2026/11/27/a.manifest.json",
                    "redis/2026/12/01/c.pdr", "redis-old/x.pdr", "agent-state/2026/11/27/d.pdr"]
        for (index, key) in keys.enumerated() { try await put(store, key, bytes(index + 1)) }

        #expect(try await store.list(prefix: "redis/").map(\.key) == keys.filter { $0.hasPrefix("redis/") }.sorted())
        #expect(try await store.list(prefix: "redis/2026/11/2").map(\.key) == [
            "redis/2026/11/27/a.manifest.json", "redis/2026/11/27/a.pdr", "redis/2026/11/28/b.pdr"])
        #expect(try await store.list(prefix: "redis").count == 5)
        #expect(try await store.list(prefix: "").count == keys.count)
        #expect(try await store.list(prefix: "nothing/").isEmpty)
        #expect(try await store.list(prefix: "redis/2026/11/27/a.pdr").map(\.size) == [2])
    }

    static func deleteRemovesObjectsAndIgnoresMissingOnes(makeStore: MakeStore) async throws {
        let store = try await makeStore()
        try await put(store, "git/a.pdr", bytes(10))
        try await put(store, "git/b.pdr", bytes(10))
        try await store.delete(["git/a.pdr", "git/never.pdr"])
        #expect(try await store.list(prefix: "git/").map(\.key) == ["git/b.pdr"])
        try await store.delete(["git/b.pdr"])
        #expect(try await store.list(prefix: "").isEmpty)
    }

    static func completedUploadReplacesTheObject(makeStore: MakeStore) async throws {
        let store = try await makeStore()
        try await put(store, "m/one.json", bytes(100, seed: 1))
        try await put(store, "m/one.json", bytes(50, seed: 2))
        #expect(try await readAll(store, "m/one.json") == bytes(50, seed: 2))
    }

    static func unsafeKeysAreRefused(makeStore: MakeStore) async throws {
        let store = try await makeStore()
        for key in ["", "/etc/passwd", "a/../../b", "a//b", "./a", "a/", "a\nb", String(repeating: "k", count: 1025)] {
            let error = await #expect(throws: StoreError.self, "\(key)") { _ = try await store.upload(key) }
            #expect(error?.code == .invalidKey)
            await #expect(throws: StoreError.self) { _ = try await store.download(key) }
            await #expect(throws: StoreError.self) { try await store.delete([key]) }
        }
    }

    static func missingObjectIsNotFound(makeStore: MakeStore) async throws {
        let store = try await makeStore()
        let error = await #expect(throws: StoreError.self) { _ = try await store.download("no/such.pdr") }
        #expect(error?.code == .notFound)
        #expect(try await store.head("no/such.pdr") == nil)
    }
}
