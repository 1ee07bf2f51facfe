import FoundationEssentials
import PhoenixDomain
import PhoenixPostgres

extension PostgresJobCatalog {
    private static let leaseColumns = """
        holder, epoch, \(PostgresJobRows.millis("expires_at")), \(PostgresJobRows.millis("renewed_at")), \
        \(PostgresJobRows.millis("acquired_at")), (extract(epoch from now()) * 1000)::bigint AS checked_at
        """

    /// Takes or renews the lease in one transaction, timed by the database server's clock (`now()`
    /// is the transaction's start, one reading for every time it writes).
    public func acquireLease(_ name: String, holder: String, duration: Duration) async throws -> LeaseGrant {
        let schema = schema
        let millis = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return try await transaction("take the leader lease") { connection in
            // The row lock orders concurrent attempts, so `before` is what the upsert replaces.
            let before = try await connection.query(
                "SELECT \(Self.leaseColumns) FROM \(schema).leases WHERE name = $1 FOR UPDATE", [.text(name)]).first.map(Self.decodeGrant)
            // The conditional DO UPDATE is the compare-and-swap: it changes the row only when the
            // holder renews or the lease has lapsed; a new holder bumps the fencing epoch.
            let taken = try await connection.query(
                """
                INSERT INTO \(schema).leases AS lease (name, holder, epoch, expires_at, renewed_at, acquired_at)
                VALUES ($1, $2, 1, now() + $3::bigint * interval '1 millisecond', now(), now())
                ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at,
                    renewed_at = excluded.renewed_at,
                    acquired_at = CASE WHEN lease.holder = excluded.holder THEN coalesce(lease.acquired_at, excluded.acquired_at)
                                  ELSE excluded.acquired_at END,
                    epoch = lease.epoch + CASE WHEN lease.holder = excluded.holder THEN 0 ELSE 1 END
                WHERE lease.holder = excluded.holder OR lease.expires_at <= now()
                RETURNING \(Self.leaseColumns)
                """, [.text(name), .text(holder), .int(millis)])
            var row = taken.first
            if row == nil {
                row = try await connection.query("SELECT \(Self.leaseColumns) FROM \(schema).leases WHERE name = $1", [.text(name)]).first
            }
            guard let row else {
                throw CatalogError(.storage, "could not take the leader lease", detail: "lease \(name) vanished")
            }
            var grant = try Self.decodeGrant(row)
            if let before, before.holder != holder, grant.holder == holder {
                grant.previous = LeaseHandover(holder: before.holder, epoch: before.epoch, renewedAt: before.renewedAt)
            }
            return grant
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

    private static func decodeGrant(_ row: PostgresRow) throws -> LeaseGrant {
        guard let holder = try row.string("holder"), let epoch = try row.int("epoch"), let expires = try row.int("expires_at") else {
            throw CatalogError(.storage, "could not take the leader lease", detail: "NULL in leases")
        }
        return LeaseGrant(holder: holder, epoch: epoch, expiresAt: Date(unixMillis: expires),
                          renewedAt: try row.int("renewed_at").map(Date.init(unixMillis:)),
                          acquiredAt: try row.int("acquired_at").map(Date.init(unixMillis:)),
                          checkedAt: try row.int("checked_at").map(Date.init(unixMillis:)))
    }
}
