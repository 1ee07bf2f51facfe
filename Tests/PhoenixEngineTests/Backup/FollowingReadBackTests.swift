import Foundation
import PhoenixDomain
import PhoenixEngine
import PhoenixPersistence
import PhoenixStores
import Synchronization
import Testing

/// A backup to the local store reads its artifact back while writing it (the store follows the
/// upload); a read that fails that way is retried from the stored object, and a store that
/// damages what it writes still fails the backup with nothing left behind.
@Suite struct FollowingReadBackTests {
    @Test func theReadBackFollowsTheUploadInsteadOfDownloadingTheObjectAfterwards() async throws {
        let (harness, store, job) = try await Self.backup(files: 7, bytesEach: 150_000)
        #expect(job.state == .succeeded, "\(job.error ?? "")")
        #expect(store.downloads.load(ordering: .relaxed) == 0)
        #expect(store.follows.load(ordering: .relaxed) == 1)
        #expect(job.steps.filter { $0.name == "read_back" }.count == 1)
        #expect(try await harness.catalog.backups(BackupQuery()).count == 1)
    }

    @Test func aStoreThatCannotFollowIsReadOnceTheUploadIsComplete() async throws {
        let (_, store, job) = try await Self.backup(files: 3, bytesEach: 50_000, canFollow: false)
        #expect(job.state == .succeeded, "\(job.error ?? "")")
        #expect(store.downloads.load(ordering: .relaxed) == 1)
        #expect(store.follows.load(ordering: .relaxed) == 0)
    }

    @Test func aFollowingReadThatSeesOtherBytesIsRetriedFromTheStoredObject() async throws {
        let (_, store, job) = try await Self.backup(files: 5, bytesEach: 100_000, damagesFollowedBytes: true)
        #expect(job.state == .succeeded, "\(job.error ?? "")")
        let readBacks = job.steps.filter { $0.name == "read_back" }
        #expect(readBacks.map(\.attempt) == [1, 2])
        #expect(readBacks.first?.error?.contains("chunk") == true, "\(readBacks.first?.error ?? "")")
        #expect(store.downloads.load(ordering: .relaxed) == 1)
    }

    /// One backup of a generated tree through a `WrappedStore` over the harness's local store.
    private static func backup(files: Int, bytesEach: Int, canFollow: Bool = true, damagesFollowedBytes: Bool = false,
                               damagesWrites: Bool = false) async throws -> (BackupHarness, WrappedStore, Job) {
        let harness = try await BackupHarness()
        try harness.fillTree(files: files, bytesEach: bytesEach)
        let store = WrappedStore(base: harness.store, canFollow: canFollow, damagesFollowedBytes: damagesFollowedBytes,
                                 damagesWrites: damagesWrites)
        harness.environment.withLock { $0.stores["local"] = store }
        return (harness, store, try await harness.run(.backup))
    }

    @Test func aStoreThatDamagesWhatItWritesFailsTheBackupAndKeepsNothing() async throws {
        let (harness, _, job) = try await Self.backup(files: 5, bytesEach: 100_000, damagesWrites: true)
        #expect(job.state == .failed)
        #expect(job.error?.contains("chunk") == true, "\(job.error ?? "")")
        #expect(job.steps.filter { $0.name == "read_back" }.count == 2, "the following read, then the stored object")
        #expect(harness.storedFiles().isEmpty, "\(harness.storedFiles())")
        #expect(try await harness.catalog.backups(BackupQuery()).isEmpty)
    }
}

/// The harness's local store, counting downloads and follows, that can hide its ability to
/// follow uploads, damage a byte of what a follower reads, or of what an upload writes.
private final class WrappedStore: ArtifactStore {
    let base: LocalStore
    let canFollow: Bool
    let damagesFollowedBytes: Bool
    let damagesWrites: Bool
    let downloads = Atomic<Int>(0)
    let follows = Atomic<Int>(0)

    init(base: LocalStore, canFollow: Bool = true, damagesFollowedBytes: Bool = false, damagesWrites: Bool = false) {
        self.base = base
        self.canFollow = canFollow
        self.damagesFollowedBytes = damagesFollowedBytes
        self.damagesWrites = damagesWrites
    }

    var name: String { base.name }

    func upload(_ key: String) async throws -> any ObjectUpload {
        WrappedUpload(base: try await base.upload(key), store: self)
    }

    func download(_ key: String) async throws -> any ObjectDownload {
        downloads.add(1, ordering: .relaxed)
        return try await base.download(key)
    }

    func head(_ key: String) async throws -> StoredObject? { try await base.head(key) }
    func list(prefix: String) async throws -> [StoredObject] { try await base.list(prefix: prefix) }
    func delete(_ keys: [String]) async throws { try await base.delete(keys) }
}

private final class WrappedUpload: ObjectUpload {
    let base: any ObjectUpload
    let store: WrappedStore
    private let writes = Atomic<Int>(0)

    init(base: any ObjectUpload, store: WrappedStore) {
        self.base = base
        self.store = store
    }

    func write(_ bytes: [UInt8]) async throws {
        var bytes = bytes
        // The second piece is a sealed chunk: one bit of it changed on its way to the disk.
        if store.damagesWrites, writes.add(1, ordering: .relaxed).newValue == 2, !bytes.isEmpty { bytes[bytes.count / 2] ^= 0x10 }
        try await base.write(bytes)
    }

    func complete() async throws -> StoredObject { try await base.complete() }
    func abort() async { await base.abort() }

    func follow() async throws -> (any ObjectDownload)? {
        guard store.canFollow, let follower = try await base.follow() else { return nil }
        store.follows.add(1, ordering: .relaxed)
        return store.damagesFollowedBytes ? DamagingDownload(base: follower) : follower
    }
}

/// Flips one bit in the first piece read after the first 100,000 bytes.
private final class DamagingDownload: ObjectDownload {
    let base: any ObjectDownload
    private let offset = Atomic<Int>(0)

    init(base: any ObjectDownload) {
        self.base = base
    }

    func read(maxCount: Int) async throws -> [UInt8] {
        var piece = try await base.read(maxCount: maxCount)
        let start = offset.add(piece.count, ordering: .relaxed).newValue - piece.count
        if start < 100_000, start + piece.count > 100_000 { piece[100_000 - start] ^= 0x01 }
        return piece
    }

    func close() async { await base.close() }
}
