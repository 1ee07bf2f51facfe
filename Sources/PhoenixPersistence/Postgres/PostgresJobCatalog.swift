import FoundationEssentials
import Logging
import PhoenixDomain
import PhoenixPostgres

/// The job catalog shared by several instances of one region (DESIGN.md §1.6), over libpq.
///
/// Tables live in one schema (`phoenix` unless configured), so one database can hold the
/// catalogs of several deployments. Claims use `FOR UPDATE SKIP LOCKED`, so instances never
/// wait on each other's claims, and the partial unique index on running datasets makes "one
/// running job per dataset" hold across instances.
///
/// ```swift
/// let catalog = try await PostgresJobCatalog.open(url: "postgresql://phoenix@db/phoenix", logger: logger)
/// let job = try await catalog.claimNext(worker: "eu-1", now: now)
/// await catalog.close()
/// ```
public final class PostgresJobCatalog: JobCatalog, LeaderLease {
    let pool: PostgresPool
    /// The schema holding the tables: a checked identifier, safe to splice into SQL.
    let schema: String
    let logger: Logger

    private init(pool: PostgresPool, schema: String, logger: Logger) {
        self.pool = pool
        self.schema = schema
        self.logger = logger
    }

    /// Connects, creates the schema if needed and brings it up to date.
    /// - Parameters:
    ///   - url: A libpq URL; never logged nor shown in errors.
    ///   - schema: Lowercase letters, digits and `_`, starting with a letter or `_`.
    ///   - maxConnections: The pool's size; a claim, an update or a read each hold one briefly.
    /// - Throws: `CatalogError.storage` when the server cannot be reached, the schema name is not
    ///   an identifier, or a newer phoenix-dr has migrated the schema.
    public static func open(url: String, schema: String = "phoenix", maxConnections: Int = 4,
                            connectTimeout: Duration = .seconds(10), logger: Logger) async throws -> PostgresJobCatalog {
        guard isIdentifier(schema) else {
            throw CatalogError(.storage, "the catalog schema must be a lowercase SQL identifier, not \"\(schema)\"")
        }
        let pool = PostgresPool(url: url, maxConnections: maxConnections, connectTimeout: connectTimeout, logger: logger)
        let catalog = PostgresJobCatalog(pool: pool, schema: schema, logger: logger)
        do {
            try await catalog.withConnection("open the job catalog") { connection in
                try await PostgresCatalogSchema.migrate(connection, schema: schema)
            }
        } catch {
            await pool.close()
            throw error
        }
        return catalog
    }

    /// Closes the pool's connections.
    public func close() async {
        await pool.close()
    }

    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 63, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            return false
        }
        return name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "_")
        }
    }

    // MARK: - Database access

    /// Runs `body` with a pooled connection, mapping failures to `CatalogError`.
    func withConnection<T: Sendable>(_ action: String, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await pool.withConnection(body)
        } catch {
            throw CatalogError.postgres(error, while: action)
        }
    }

    /// Runs `body` in one transaction on a pooled connection, mapping failures.
    func transaction<T: Sendable>(_ action: String, readOnlySnapshot: Bool = false,
                                  _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await withConnection(action) { connection in
            try await connection.transaction { connection in
                if readOnlySnapshot {
                    // Jobs and their steps are read by two statements: one snapshot for both.
                    try await connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                }
                return try await body(connection)
            }
        }
    }
}
