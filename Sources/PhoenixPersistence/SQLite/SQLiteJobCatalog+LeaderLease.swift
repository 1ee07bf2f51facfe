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
            try db.execute(
                sql: """
                    INSERT INTO leases AS lease (name, holder, epoch, expires_at) VALUES (?1, ?2, 1, \(Self.nowMillis) + ?3)
                    ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at,
                        epoch = lease.epoch + CASE WHEN lease.holder = excluded.holder THEN 0 ELSE 1 END
                    WHERE lease.holder = excluded.holder OR lease.expires_at <= \(Self.nowMillis)
                    """,
                arguments: [name, holder, millis])
            guard let row = try Row.fetchOne(db, sql: "SELECT holder, epoch, expires_at FROM leases WHERE name = ?", arguments: [name]) else {
                throw CatalogError(.storage, "could not take the leader lease", detail: "lease \(name) vanished")
            }
            return LeaseGrant(holder: try row.decode(forColumn: "holder"), epoch: try row.decode(forColumn: "epoch"),
                              expiresAt: Date(unixMillis: try row.decode(forColumn: "expires_at")))
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
}
