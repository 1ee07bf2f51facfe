import FoundationEssentials
import PhoenixDomain
import PhoenixPersistence
import Synchronization
import Testing

/// The job catalog contract on a real PostgreSQL, and what only the shared catalog promises:
/// several instances on one schema, and migrations that race.
@Suite(.enabled("needs PostgreSQL (PHOENIX_TEST_POSTGRES)") { await PostgresTestServer.shouldRun() })
struct PostgresJobCatalogTests {
    @Test(arguments: JobCatalogContract.allCases)
    func contract(_ contractCase: JobCatalogContract.Case) async throws {
        try await withFreshSchema { open in
            try await contractCase.run { try await open() }
        }
    }

    @Test func twoInstancesClaimEachOfAThousandJobsOnce() async throws {
        try await withFreshSchema { open in
            // Two catalogs with their own pools: two instances meeting only in the database.
            let instances = [try await open(), try await open()]
            try await JobCatalogContract.claimEveryJobOnce(across: instances, total: 1_000)
        }
    }

    @Test func instancesStartingTogetherMigrateTheSchemaOnce() async throws {
        try await withFreshSchema { open in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 { group.addTask { _ = try await open() } }
                try await group.waitForAll()
            }
            let catalog = try await open()
            #expect(try await catalog.enqueue(JobFixture.job(at: 1)).kind == .backup)
        }
    }

    @Test func aSchemaMigratedByANewerVersionIsRefused() async throws {
        try await withFreshSchema { open in
            _ = try await open()
            try await PostgresTestServer.execute("INSERT INTO \(open.schema).schema_migrations (version) VALUES (999)")
            let error = await #expect(throws: CatalogError.self) { _ = try await open() }
            #expect(error?.message.contains("newer phoenix-dr") == true)
        }
    }

    @Test func aSchemaNameThatIsNoIdentifierIsRefused() async throws {
        for name in ["", "Phoenix", "1abc", "a;drop table jobs", "a-b", String(repeating: "a", count: 64)] {
            let error = await #expect(throws: CatalogError.self) {
                _ = try await PostgresJobCatalog.open(url: PostgresTestServer.url, schema: name, logger: PostgresTestServer.logger)
            }
            #expect(error?.message.contains("identifier") == true)
        }
    }

    @Test func anUnreachableServerIsAClearErrorWithoutTheURL() async throws {
        let url = "postgresql://phoenix:s3cret@127.0.0.1:1/none"
        let error = await #expect(throws: CatalogError.self) {
            _ = try await PostgresJobCatalog.open(url: url, connectTimeout: .seconds(2), logger: PostgresTestServer.logger)
        }
        #expect(error?.message.contains("unreachable") == true)
        #expect(error?.message.contains("s3cret") == false)
    }

    /// Opens catalogs on one new schema (each call a new instance), closes them and drops the
    /// schema afterwards, also on failure.
    private func withFreshSchema(_ body: (SchemaOpener) async throws -> Void) async throws {
        let opener = SchemaOpener(schema: PostgresTestServer.makeSchemaName())
        do {
            try await body(opener)
        } catch {
            await opener.closeAll()
            await PostgresTestServer.dropSchema(opener.schema)
            throw error
        }
        await opener.closeAll()
        await PostgresTestServer.dropSchema(opener.schema)
    }
}

/// Opens catalogs on one schema and remembers them so the test can close them all.
final class SchemaOpener: Sendable {
    let schema: String
    private let opened = Mutex<[PostgresJobCatalog]>([])

    init(schema: String) {
        self.schema = schema
    }

    func callAsFunction() async throws -> PostgresJobCatalog {
        let catalog = try await PostgresJobCatalog.open(url: PostgresTestServer.url, schema: schema, maxConnections: 3,
                                                        logger: PostgresTestServer.logger)
        opened.withLock { $0.append(catalog) }
        return catalog
    }

    func closeAll() async {
        for catalog in opened.withLock({ $0 }) { await catalog.close() }
    }
}
