import FoundationEssentials
import GRDB
import PhoenixDomain

extension SQLiteJobCatalog: ActiveRegionCache {
    public func activeRegion() async throws -> ActiveRegionMarker? {
        try await read("read the active region") { db in try Self.fetchMarker(db) }
    }

    /// The conditional upsert is the compare-and-set; the IMMEDIATE write transaction makes it
    /// atomic against other processes on the same file.
    public func storeActiveRegion(_ marker: ActiveRegionMarker) async throws -> ActiveRegionMarker {
        try await write("cache the active region") { db in
            try db.execute(
                sql: """
                    INSERT INTO active_region AS cached (id, region, epoch, updated_at, source) VALUES (1, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET region = excluded.region, epoch = excluded.epoch,
                        updated_at = excluded.updated_at, source = excluded.source
                    WHERE excluded.epoch > cached.epoch OR (excluded.epoch = cached.epoch AND excluded.region = cached.region)
                    """,
                arguments: [marker.region, marker.epoch, marker.updatedAt.unixMillis, marker.source])
            guard let stored = try Self.fetchMarker(db) else {
                throw CatalogError(.storage, "could not cache the active region", detail: "the row vanished")
            }
            return stored
        }
    }

    private static func fetchMarker(_ db: Database) throws -> ActiveRegionMarker? {
        guard let row = try Row.fetchOne(db, sql: "SELECT region, epoch, updated_at, source FROM active_region WHERE id = 1") else {
            return nil
        }
        return ActiveRegionMarker(region: try row.decode(forColumn: "region"), epoch: try row.decode(forColumn: "epoch"),
                                  updatedAt: Date(unixMillis: try row.decode(forColumn: "updated_at")),
                                  source: try row.decode(forColumn: "source"))
    }
}
