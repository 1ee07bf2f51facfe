import Foundation
import PhoenixCrypto
import PhoenixPostgres

/// Row counts and state hashes, read on a connection inside the snapshot's transaction (the
/// backup) or on the restored database (the check after a restore): the same queries on both
/// sides, so equal data gives equal facts.
///
/// A state hash is the SHA-256 of a table's rows as text (`t::text`), one per line, in `C`
/// collation order: independent of physical order, vacuum and the server's locale. Rows are read
/// through a cursor, a few thousand at a time, so a large table never sits in memory.
enum PostgresStateHasher {
    /// Every user table (partition parents, not their partitions), as `schema.table`.
    static func userTables(on connection: PostgresConnection) async throws -> [String] {
        let rows = try await connection.query("""
            SELECT n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
              AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'
              AND n.nspname NOT LIKE 'pg\\_temp%'
            ORDER BY 1, 2
            """)
        return try rows.map { "\(try $0.string("schema") ?? "").\(try $0.string("name") ?? "")" }
    }

    static func rowCounts(of tables: [String], on connection: PostgresConnection) async throws -> [String: Int64] {
        var counts: [String: Int64] = [:]
        for table in tables {
            try Task.checkCancellation()
            let rows = try await connection.query("SELECT count(*) AS n FROM \(quoted(table))")
            counts[table] = try rows.first?.int("n") ?? 0
        }
        return counts
    }

    static func stateHash(of table: String, on connection: PostgresConnection) async throws -> String {
        var hasher = SHA256.Hasher()
        let order = try await primaryKeyOrder(of: table, on: connection) ?? "t::text COLLATE \"C\""
        _ = try await connection.execute("DECLARE phoenix_state NO SCROLL CURSOR FOR SELECT t::text AS r FROM \(quoted(table)) t ORDER BY \(order)")
        while true {
            try Task.checkCancellation()
            let rows = try await connection.query("FETCH 20000 FROM phoenix_state")
            if rows.isEmpty { break }
            for row in rows {
                hasher.update(Array((try row.string("r") ?? "\\N").utf8))
                hasher.update([0x0A])
            }
        }
        _ = try await connection.execute("CLOSE phoenix_state")
        return Hex.encode(hasher.finalize())
    }

    /// `ORDER BY` by the primary key, when the table has one: the index gives the order without
    /// sorting every row's text. Collatable columns are compared in `C` so that clusters with
    /// different default collations order (and hash) the same rows the same way.
    static func primaryKeyOrder(of table: String, on connection: PostgresConnection) async throws -> String? {
        let rows = try await connection.query("""
            SELECT a.attname AS name, a.attcollation <> 0 AS collatable
            FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
            WHERE i.indrelid = $1::regclass AND i.indisprimary
            ORDER BY array_position(i.indkey::int2[], a.attnum)
            """, [.text(quoted(table))])
        guard !rows.isEmpty else { return nil }
        return try rows.map { row in
            "t.\(identifier(try row.string("name") ?? ""))" + (try row.bool("collatable") == true ? " COLLATE \"C\"" : "")
        }.joined(separator: ", ")
    }

    /// `schema.table` for `name` (a bare name is in `public`).
    static func qualified(_ name: String) -> String {
        name.contains(".") ? name : "public.\(name)"
    }

    /// `"schema"."table"`, with quotes doubled: names come from the catalog and the configuration.
    static func quoted(_ table: String) -> String {
        qualified(table).split(separator: ".", maxSplits: 1).map { identifier(String($0)) }.joined(separator: ".")
    }

    /// One quoted identifier.
    static func identifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func hex(_ bytes: [UInt8]) -> String {
        SHA256.hex(bytes)
    }

    /// The facts of the database `connection` is in, read in its current transaction.
    static func facts(on connection: PostgresConnection, stateTables: [String], schemaVersionQuery: String?,
                      snapshotAt: Date) async throws -> PostgresSnapshotFacts {
        // One core for the counts: pg_dump and the backup pipeline need the others.
        _ = try await connection.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        // A row's text depends on the session (timestamptz on TimeZone, intervals, floats,
        // bytea): the same settings on both sides, so a DR cluster in another zone hashes alike.
        _ = try await connection.execute("SET LOCAL TimeZone = 'UTC'")
        _ = try await connection.execute("SET LOCAL IntervalStyle = 'postgres'")
        _ = try await connection.execute("SET LOCAL extra_float_digits = 1")
        _ = try await connection.execute("SET LOCAL bytea_output = 'hex'")
        _ = try await connection.execute("SET LOCAL DateStyle = 'ISO, YMD'")
        let info = try await connection.query("SELECT current_database() AS db, current_setting('server_version') AS v")
        let tables = try await userTables(on: connection)
        let counts = try await rowCounts(of: tables, on: connection)
        var hashes: [String: String] = [:]
        for table in stateTables.map(qualified) {
            hashes[table] = try await stateHash(of: table, on: connection)
        }
        var schemaVersion: String?
        if let schemaVersionQuery {
            let rows = try await connection.query(schemaVersionQuery)
            if let row = rows.first, let column = rows.columns.first { schemaVersion = try row.string(column) }
        }
        return PostgresSnapshotFacts(database: try info.first?.string("db") ?? "", serverVersion: try info.first?.string("v") ?? "",
                                     schemaVersion: schemaVersion, snapshotAt: snapshotAt, rowCounts: counts, stateHashes: hashes)
    }
}
