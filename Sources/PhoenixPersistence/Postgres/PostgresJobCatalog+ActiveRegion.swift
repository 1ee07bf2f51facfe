import FoundationEssentials
import PhoenixDomain
import PhoenixPostgres

extension PostgresJobCatalog: ActiveRegionCache {
    private static let markerColumns = "region, epoch, \(PostgresJobRows.millis("updated_at")), source"

    public func activeRegion() async throws -> ActiveRegionMarker? {
        let schema = schema
        let rows = try await withConnection("read the active region") { connection in
            try await connection.query("SELECT \(Self.markerColumns) FROM \(schema).active_region WHERE id = 1")
        }
        return try rows.first.map(Self.decodeMarker)
    }

    /// The conditional DO UPDATE is the compare-and-set: it changes the row only for a newer
    /// epoch, or the same region at the same epoch; the row lock orders concurrent writers.
    public func storeActiveRegion(_ marker: ActiveRegionMarker) async throws -> ActiveRegionMarker {
        let schema = schema
        return try await transaction("cache the active region") { connection in
            try await connection.execute(
                """
                INSERT INTO \(schema).active_region AS cached (id, region, epoch, updated_at, source)
                VALUES (1, $1, $2, \(PostgresJobRows.at(3)), $4)
                ON CONFLICT (id) DO UPDATE SET region = excluded.region, epoch = excluded.epoch,
                    updated_at = excluded.updated_at, source = excluded.source
                WHERE excluded.epoch > cached.epoch OR (excluded.epoch = cached.epoch AND excluded.region = cached.region)
                """, [.text(marker.region), .int(marker.epoch), .int(marker.updatedAt.unixMillis), .text(marker.source)])
            let rows = try await connection.query("SELECT \(Self.markerColumns) FROM \(schema).active_region WHERE id = 1")
            guard let row = rows.first else {
                throw CatalogError(.storage, "could not cache the active region", detail: "the row vanished")
            }
            return try Self.decodeMarker(row)
        }
    }

    private static func decodeMarker(_ row: PostgresRow) throws -> ActiveRegionMarker {
        guard let region = try row.string("region"), let epoch = try row.int("epoch"), let updated = try row.int("updated_at"),
              let source = try row.string("source") else {
            throw CatalogError(.storage, "the catalog holds an active-region marker this version cannot read", detail: "NULL in active_region")
        }
        return ActiveRegionMarker(region: region, epoch: epoch, updatedAt: Date(unixMillis: updated), source: source)
    }
}
