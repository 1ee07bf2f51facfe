import PhoenixDomain
import PhoenixPersistence
import Testing

/// The job catalog contract, run against SQLite: each case gets its own file in a temporary folder.
@Suite struct SQLiteJobCatalogTests {
    @Test(arguments: JobCatalogContract.allCases)
    func contract(_ contractCase: JobCatalogContract.Case) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/catalog.sqlite"
        try await contractCase.run { try await SQLiteJobCatalog(path: path) }
    }
}
