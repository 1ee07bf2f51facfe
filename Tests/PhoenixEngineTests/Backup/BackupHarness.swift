import Foundation
import Logging
import PhoenixArtifact
import PhoenixDomain
import PhoenixEngine
import PhoenixPersistence
import PhoenixSources
import PhoenixStores
import Synchronization
import Testing

/// A real pipeline in a temporary folder: a SQLite catalog, a local store, the directory source
/// over a generated tree, a keyring with one random key, and a worker pool to run the jobs.
final class BackupHarness: Sendable {
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    let folder: String
    /// The folder of the harness whose store this one shares, if any.
    let sharedFolder: String?
    let catalog: SQLiteJobCatalog
    let store: LocalStore
    let clock: ManualWallClock
    let dataset: DatasetSpec
    let environment: Mutex<BackupEnvironment>

    /// - Parameter sharing: another harness whose store, tree and keyring this one uses, with a
    ///   catalog of its own (an instance in another region that starts empty).
    init(encrypted: Bool = true, chunkSize: Int = 64 * 1024, sharing other: BackupHarness? = nil,
         makeSource: (@Sendable (DatasetSpec) throws -> any BackupSource)? = nil) async throws {
        folder = FileManager.default.temporaryDirectory.appending(path: "t_\(UUID().uuidString.lowercased())").path
        try FileManager.default.createDirectory(atPath: folder + "/tree", withIntermediateDirectories: true)
        catalog = try await SQLiteJobCatalog(path: folder + "/catalog.sqlite")
        sharedFolder = other?.folder
        store = LocalStore(name: "local", root: (other?.folder ?? folder) + "/store")
        clock = ManualWallClock(Date(timeIntervalSince1970: 1_795_780_800))
        dataset = DatasetSpec(name: "sample", source: .directory, tier: .standard, schedule: "0 * * * *",
                              retention: RetentionRules(keepLast: 2), retentionDays: 7, encryptionRequired: encrypted,
                              prefix: "sample/", store: "local", path: (other?.folder ?? folder) + "/tree")
        let keyring = try other?.environment.withLock { $0.keyring }
            ?? Keyring(keys: [try ArtifactKey.makeRandom(id: ArtifactKeyID(rawValue: "k1")!)])
        let clock = clock
        let now: @Sendable () -> Date = { clock.now() }
        let source = makeSource ?? { dataset in DirectorySource(root: dataset.path ?? "", now: now, logger: BackupHarness.quiet) }
        var environment = BackupEnvironment(catalog: catalog, datasets: [dataset], stores: ["local": store], keyring: keyring,
                                            makeSource: source, now: now)
        environment.chunkSize = chunkSize
        self.environment = Mutex(environment)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: folder)
    }

    var treePath: String { (sharedFolder ?? folder) + "/tree" }
    var storePath: String { (sharedFolder ?? folder) + "/store" }

    /// Cancels the queued jobs of `kind`, so a test can pile up backups without pruning them.
    func cancelQueued(_ kind: JobKind) async throws {
        for job in try await catalog.list(JobQuery(kind: kind, state: .queued, limit: 200)) {
            _ = try await catalog.requestCancel(job.id, now: clock.now())
        }
    }

    func advance(by seconds: TimeInterval) {
        clock.advance(by: seconds)
    }

    /// Writes `count` files of mixed content (text, pseudo-random, zeros) into the tree.
    func fillTree(files count: Int, bytesEach: Int, seed: UInt64 = 42) throws {
        var state = seed
        for index in 0..<count {
            var bytes = [UInt8](repeating: 0, count: bytesEach)
            switch index % 3 {
            case 0: for i in bytes.indices { bytes[i] = UInt8(ascii: "a") + UInt8((i / 7 + index) % 26) }
            case 1:
                for i in bytes.indices {
                    state = state &* 6364136223846793005 &+ 1442695040888963407
                    bytes[i] = UInt8(truncatingIfNeeded: state >> 33)
                }
            default: break
            }
            let folder = treePath + "/d\(index % 4)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: folder + "/f\(index).bin"))
        }
    }

    /// Runs one job of `kind` to its end and returns it as stored.
    func run(_ kind: JobKind, parameters: [String: String] = [:]) async throws -> Job {
        let job = try await catalog.enqueue(Job(kind: kind, dataset: dataset.name, trigger: "test", parameters: parameters,
                                                createdAt: clock.now()))
        return try await runQueued(job.id)
    }

    /// Claims queued jobs until `id` has run (jobs queued before it run first, as in production).
    func runQueued(_ id: JobID) async throws -> Job {
        let environment = environment.withLock { $0 }
        let handlers: [JobKind: any JobHandler] = [
            .backup: BackupJobHandler(environment: environment), .verify: VerifyJobHandler(environment: environment),
            .retention: RetentionJobHandler(environment: environment), .catalogSync: CatalogSyncJobHandler(environment: environment),
        ]
        let clock = clock
        let workers = WorkerPool(catalog: catalog, handlers: handlers, settings: .init(workerID: "w"),
                                 now: { clock.now() }, logger: Self.quiet)
        while let claimed = try await catalog.claimNext(worker: "w", now: clock.now()) {
            await workers.execute(claimed)
            if claimed.id == id { break }
        }
        return try #require(try await catalog.job(id))
    }

    /// Every file in the store folder, including hidden ones (left-over temporary uploads).
    func storedFiles() -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: storePath)
        var files: [String] = []
        while let path = enumerator?.nextObject() as? String {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: storePath + "/" + path, isDirectory: &isFolder), !isFolder.boolValue {
                files.append(path)
            }
        }
        return files.sorted()
    }
}
