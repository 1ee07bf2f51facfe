import Dispatch
import FoundationEssentials
import GRDB
import PhoenixDomain

/// The embedded job catalog (DESIGN.md §1.6): one SQLite file in WAL mode, through GRDB.
///
/// Every SQLite call runs on GRDB's serial writer queue or on its reader queues, never on the
/// cooperative thread pool. Writes are `BEGIN IMMEDIATE` transactions, so enqueueing and claiming
/// stay atomic even when two processes open the same file. Dates are stored as unix milliseconds.
///
/// ```swift
/// let catalog = try await SQLiteJobCatalog(path: "phoenix-data/catalog.sqlite")
/// let job = try await catalog.enqueue(Job(kind: .backup, dataset: "redis_data", trigger: "schedule", createdAt: now))
/// let claimed = try await catalog.claimNext(worker: "eu-1", now: now)
/// ```
public final class SQLiteJobCatalog: JobCatalog {
    /// How long a write waits for another process's write lock before failing as busy.
    public static let defaultBusyTimeout: Duration = .seconds(5)

    let pool: DatabasePool
    /// A folder made by `makeTemporary()`, removed with the catalog.
    private let temporaryDirectory: String?

    /// Opens (or creates) the catalog file at `path` and brings its schema up to date.
    /// - Throws: `CatalogError.storage` when the file cannot be opened, is not a catalog, or was
    ///   written by a newer version.
    public convenience init(path: String, busyTimeout: Duration = defaultBusyTimeout) async throws {
        let pool = try await Self.openPool(path: path, busyTimeout: busyTimeout)
        self.init(pool: pool, temporaryDirectory: nil)
    }

    private init(pool: DatabasePool, temporaryDirectory: String?) {
        self.pool = pool
        self.temporaryDirectory = temporaryDirectory
    }

    /// A catalog in a new temporary folder, which is removed when the catalog is released: for tests.
    public static func makeTemporary() async throws -> SQLiteJobCatalog {
        let directory = FileManager.default.temporaryDirectory
            .appending(path: "phoenix-catalog-\(UUID().uuidString.lowercased())").path
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw CatalogError(.storage, "could not create a temporary catalog", detail: "\(error)")
        }
        do {
            let pool = try await openPool(path: directory + "/catalog.sqlite", busyTimeout: defaultBusyTimeout)
            return SQLiteJobCatalog(pool: pool, temporaryDirectory: directory)
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
    }

    deinit {
        guard let temporaryDirectory else { return }
        // Close before unlinking so SQLite does not recreate the -wal and -shm files afterwards.
        try? pool.close()
        try? FileManager.default.removeItem(atPath: temporaryDirectory)
    }

    /// Opens the pool and runs the migrations on a Dispatch thread: both block (file I/O, and the
    /// WAL switch may wait for another process's lock), so they stay off the cooperative pool.
    private static func openPool(path: String, busyTimeout: Duration) async throws -> DatabasePool {
        let configuration = makeConfiguration(busyTimeout: busyTimeout)
        do {
            return try await withCheckedThrowingContinuation { continuation in
                DispatchQueue.global().async {
                    continuation.resume(with: Result {
                        let pool = try DatabasePool(path: path, configuration: configuration)
                        try CatalogSchema.migrate(pool)
                        return pool
                    })
                }
            }
        } catch {
            throw CatalogError.sqlite(error, while: "open the job catalog")
        }
    }

    private static func makeConfiguration(busyTimeout: Duration) -> Configuration {
        var configuration = Configuration()
        configuration.label = "phoenix.catalog"
        // Only another process (or another pool on the same file) can hold the write lock: one
        // pool already serializes its own writes on its writer queue.
        let (seconds, attoseconds) = busyTimeout.components
        configuration.busyMode = .timeout(Double(seconds) + Double(attoseconds) / 1e18)
        return configuration
    }

    // MARK: - Database access

    /// Runs `updates` in one write transaction on GRDB's writer queue, mapping failures.
    func write<T: Sendable>(_ action: String, _ updates: @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.write(updates)
        } catch {
            throw CatalogError.sqlite(error, while: action)
        }
    }

    /// Runs `value` in one read transaction (a snapshot) on a GRDB reader queue, mapping failures.
    func read<T: Sendable>(_ action: String, _ value: @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.read(value)
        } catch {
            throw CatalogError.sqlite(error, while: action)
        }
    }
}
