import FoundationEssentials
import PhoenixDomain
import PhoenixPostgres

extension PostgresJobCatalog {
    /// Takes or renews the lease in one upsert, timed by the database server's clock.
    public func acquireLease(_ name: String, holder: String, duration: Duration) async throws -> LeaseGrant {
        let schema = schema
        let millis = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return try await transaction("take the leader lease") { connection in
            let columns = "holder, epoch, \(PostgresJobRows.millis("expires_at"))"
            // The conditional DO UPDATE is the compare-and-swap: it changes the row only when the
            // holder renews or the lease has lapsed; a new holder bumps the fencing epoch.
            let taken = try await connection.query(
                """
                INSERT INTO \(schema).leases AS lease (name, holder, epoch, expires_at)
                VALUES ($1, $2, 1, now() + $3::bigint * interval '1 millisecond')
                ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at,
                    epoch = lease.epoch + CASE WHEN lease.holder = excluded.holder THEN 0 ELSE 1 END
                WHERE lease.holder = excluded.holder OR lease.expires_at <= now()
                RETURNING \(columns)
                """, [.text(name), .text(holder), .int(millis)])
            var row = taken.first
            if row == nil {
                row = try await connection.query("SELECT \(columns) FROM \(schema).leases WHERE name = $1", [.text(name)]).first
            }
            guard let row, let current = try row.string("holder"), let epoch = try row.int("epoch"),
                  let expires = try row.int("expires_at") else {
                throw CatalogError(.storage, "could not take the leader lease", detail: "lease \(name) vanished")
            }
            return LeaseGrant(holder: current, epoch: epoch, expiresAt: Date(unixMillis: expires))
        }
    }

    /// Ends `holder`'s lease now, keeping its epoch, so the next holder bumps it.
    public func releaseLease(_ name: String, holder: String) async throws {
        let schema = schema
        try await withConnection("release the leader lease") { connection in
            try await connection.execute(
                "UPDATE \(schema).leases SET expires_at = now() WHERE name = $1 AND holder = $2 AND expires_at > now()",
                [.text(name), .text(holder)])
        }
    }
}
