import GRDB
import PhoenixDomain

/// The catalog's tables, created and upgraded by GRDB's migrator (applied migrations are listed
/// in its `grdb_migrations` table, so each runs once per file).
enum CatalogSchema {
    /// Brings the schema of `writer`'s file up to date.
    /// - Throws: `CatalogError.storage` when a newer phoenix-dr has migrated the file further.
    static func migrate(_ writer: any DatabaseWriter) throws {
        let migrator = makeMigrator()
        if try writer.read({ try migrator.hasBeenSuperseded($0) }) {
            throw CatalogError(.storage, "the job catalog was written by a newer phoenix-dr; upgrade to open it")
        }
        try migrator.migrate(writer)
    }

    /// Every migration in order. Never edit one that has shipped: add the next.
    static func makeMigrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-jobs") { db in
            try db.execute(sql: jobsV1)
        }
        migrator.registerMigration("v2-heartbeats-and-leases") { db in
            try db.execute(sql: heartbeatsAndLeasesV2)
        }
        migrator.registerMigration("v3-backups") { db in
            try db.execute(sql: backupsV3)
        }
        migrator.registerMigration("v4-job-parameters") { db in
            try db.execute(sql: "ALTER TABLE jobs ADD COLUMN parameters TEXT NOT NULL DEFAULT '{}'")
        }
        migrator.registerMigration("v5-events-and-active-region") { db in
            try db.execute(sql: eventsAndActiveRegionV5)
        }
        migrator.registerMigration("v6-lease-times") { db in
            try db.execute(sql: leaseTimesV6)
        }
        return migrator
    }

    /// Dates are unix milliseconds (INTEGER). `STRICT` makes SQLite reject values of the wrong type.
    private static let jobsV1 = """
        CREATE TABLE jobs (
            id TEXT NOT NULL PRIMARY KEY,
            kind TEXT NOT NULL,
            state TEXT NOT NULL,
            dataset TEXT,
            triggered_by TEXT NOT NULL,
            idempotency_key TEXT,
            created_at INTEGER NOT NULL,
            started_at INTEGER,
            finished_at INTEGER,
            worker TEXT,
            bytes_done INTEGER NOT NULL DEFAULT 0,
            bytes_total INTEGER,
            items INTEGER NOT NULL DEFAULT 0,
            error TEXT,
            is_cancel_requested INTEGER NOT NULL DEFAULT 0
        ) STRICT;

        -- `list`: newest first, ties broken by id, so cursor pages are stable.
        CREATE INDEX jobs_by_creation ON jobs (created_at, id);
        -- `claimNext` (state = 'queued', oldest first) and `interruptRunning` (state = 'running').
        CREATE INDEX jobs_by_state ON jobs (state, created_at, id);
        -- Idempotent enqueue: a key names one job, even under concurrent enqueues.
        CREATE UNIQUE INDEX jobs_idempotency_key ON jobs (idempotency_key) WHERE idempotency_key IS NOT NULL;
        -- At most one running job per dataset, enforced by the file itself; also serves the claim's
        -- "does this dataset have a running job" probe.
        CREATE UNIQUE INDEX jobs_running_dataset ON jobs (dataset) WHERE state = 'running' AND dataset IS NOT NULL;

        CREATE TABLE job_steps (
            job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            attempt INTEGER NOT NULL,
            started_at INTEGER NOT NULL,
            finished_at INTEGER,
            error TEXT,
            PRIMARY KEY (job_id, name, attempt)
        ) STRICT, WITHOUT ROWID;
        """

    /// `heartbeat_at`: when the worker running a job last said it was alive. `leases`: leader
    /// leases, one row per name; `epoch` grows with each change of holder (a fencing token).
    private static let heartbeatsAndLeasesV2 = """
        ALTER TABLE jobs ADD COLUMN heartbeat_at INTEGER;

        CREATE TABLE leases (
            name TEXT NOT NULL PRIMARY KEY,
            holder TEXT NOT NULL,
            epoch INTEGER NOT NULL,
            expires_at INTEGER NOT NULL
        ) STRICT;
        """

    /// The backup index; `labels` is a JSON object.
    private static let backupsV3 = """
        CREATE TABLE backups (
            id TEXT NOT NULL PRIMARY KEY,
            dataset TEXT NOT NULL,
            tier TEXT NOT NULL,
            source_kind TEXT NOT NULL,
            source_version TEXT,
            store TEXT NOT NULL,
            object_key TEXT NOT NULL,
            manifest_key TEXT NOT NULL,
            snapshot_at INTEGER NOT NULL,
            started_at INTEGER NOT NULL,
            finished_at INTEGER NOT NULL,
            raw_bytes INTEGER NOT NULL,
            stored_bytes INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            compression TEXT NOT NULL,
            key_id TEXT,
            record_count INTEGER,
            content_digest TEXT,
            labels TEXT NOT NULL DEFAULT '{}',
            job_id TEXT,
            verified_at INTEGER,
            verify_error TEXT,
            is_pinned INTEGER NOT NULL DEFAULT 0
        ) STRICT;

        -- Listing per dataset, newest snapshot first (ties by id), and the retention planner.
        CREATE INDEX backups_by_dataset ON backups (dataset, snapshot_at, id);
        CREATE INDEX backups_by_snapshot ON backups (snapshot_at, id);
        """

    /// The event history (append-only; `id` orders it and is the list cursor) and the cached
    /// active-region marker (one row, `id` = 1).
    private static let eventsAndActiveRegionV5 = """
        CREATE TABLE events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            time INTEGER NOT NULL,
            kind TEXT NOT NULL,
            subject TEXT NOT NULL,
            severity TEXT NOT NULL,
            message TEXT NOT NULL,
            details TEXT NOT NULL DEFAULT '{}'
        ) STRICT;

        -- Filters by subject or kind, newest first; pruning by time.
        CREATE INDEX events_by_subject ON events (subject, id);
        CREATE INDEX events_by_kind ON events (kind, id);
        CREATE INDEX events_by_time ON events (time);

        CREATE TABLE active_region (
            id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
            region TEXT NOT NULL,
            epoch INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            source TEXT NOT NULL
        ) STRICT;
        """

    /// When the holder last renewed its lease and when it took it (SQLite's clock, unix
    /// milliseconds), so a successor can record how long the takeover took.
    private static let leaseTimesV6 = """
        ALTER TABLE leases ADD COLUMN renewed_at INTEGER;
        ALTER TABLE leases ADD COLUMN acquired_at INTEGER;
        """
}
