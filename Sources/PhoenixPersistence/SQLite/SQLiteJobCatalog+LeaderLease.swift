import FoundationEssentials
import GRDB
import PhoenixDomain

extension SQLiteJobCatalog: LeaderLease {
    /// SQLite's own clock in unix milliseconds (`julianday` counts days from noon, 4713 BC).
    private static let nowMillis = "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)"

    /// Takes or renews the lease in one write transaction, timed by SQLite's clock. Processes on
    /// one host share that clock, and the IMMEDIATE transaction makes the check-and-set atomic.
    public func acquireLease(_ name: String, holder: String, duration: Duration) async throws -> LeaseGrant {
        let millis = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return try await write("take the leader lease") { db in
            // One reading of the clock for the whole check-and-set, so every time it writes agrees.
            let now = try Int64.fetchOne(db, sql: "SELECT \(Self.nowMillis)") ?? 0
            let before = try Self.fetchGrant(db, name, checkedAt: now)
            try db.execute(
                sql: """
                    INSERT INTO leases AS lease (name, holder, epoch, expires_at, renewed_at, acquired_at)
                    VALUES (?1, ?2, 1, ?4 + ?3, ?4, ?4)
                    ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at,
                        renewed_at = excluded.renewed_at,
                        acquired_at = CASE WHEN lease.holder = excluded.holder THEN coalesce(lease.acquired_at, excluded.acquired_at)
                                      ELSE excluded.acquired_at END,
                        epoch = lease.epoch + CASE WHEN lease.holder = excluded.holder THEN 0 ELSE 1 END
                    WHERE lease.holder = excluded.holder OR lease.expires_at <= ?4
                    """,
                arguments: [name, holder, millis, now])
            guard var grant = try Self.fetchGrant(db, name, checkedAt: now) else {
                throw CatalogError(.storage, "could not take the leader lease", detail: "lease \(name) vanished")
            }
            if let before, before.holder != holder, grant.holder == holder {
                grant.previous = LeaseHandover(holder: before.holder, epoch: before.epoch, renewedAt: before.renewedAt)
            }
            return grant
        }
    }

    /// Ends `holder`'s lease now, keeping its epoch, so the next holder bumps it.
    public func releaseLease(_ name: String, holder: String) async throws {
        try await write("release the leader lease") { db in
            try db.execute(
                sql: "UPDATE leases SET expires_at = \(Self.nowMillis) WHERE name = ? AND holder = ? AND expires_at > \(Self.nowMillis)",
                arguments: [name, holder])
        }
    }

    private static func fetchGrant(_ db: Database, _ name: String, checkedAt: Int64) throws -> LeaseGrant? {
        let sql = "SELECT holder, epoch, expires_at, renewed_at, acquired_at FROM leases WHERE name = ?"
        guard let row = try Row.fetchOne(db, sql: sql, arguments: [name]) else { return nil }
        return LeaseGrant(holder: try row.decode(forColumn: "holder"), epoch: try row.decode(forColumn: "epoch"),
                          expiresAt: Date(unixMillis: try row.decode(forColumn: "expires_at")),
                          renewedAt: try row.decode(Int64?.self, forColumn: "renewed_at").map(Date.init(unixMillis:)),
                          acquiredAt: try row.decode(Int64?.self, forColumn: "acquired_at").map(Date.init(unixMillis:)),
                          checkedAt: Date(unixMillis: checkedAt))
    }
}
