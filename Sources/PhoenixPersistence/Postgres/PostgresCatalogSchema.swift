import PhoenixDomain
import PhoenixPostgres

/// The PostgreSQL catalog's tables, in a schema of their own (`phoenix` by default), created and
/// upgraded by numbered migrations recorded in `<schema>.schema_migrations`.
///
/// Several instances may start at once against one database: the migrations run under a
/// transaction-scoped advisory lock, so exactly one applies them and the others find them applied.
enum PostgresCatalogSchema {
    /// Every migration in order, as (version, SQL with `{s}` for the schema). Never edit one that
    /// has shipped: add the next.
    /// Each is a list of statements: libpq's extended protocol runs one statement per call.
    static let migrations: [(version: Int, statements: [String])] = [
        (1, jobsV1),
        (2, backupsV2),
        (3, ["ALTER TABLE {s}.jobs ADD COLUMN parameters jsonb NOT NULL DEFAULT '{}'"]),
        (4, eventsAndActiveRegionV4),
    ]

    /// Brings `schema` up to date on `connection`.
    /// - Throws: `CatalogError.storage` when a newer phoenix-dr has migrated the schema further.
    static func migrate(_ connection: PostgresConnection, schema: String) async throws {
        try await connection.transaction { connection in
            // One key per schema: instances of other regions in other schemas do not wait on us.
            try await connection.execute("SELECT pg_advisory_xact_lock(hashtext($1))", [.text("phoenix-dr migrations \(schema)")])
            try await connection.execute("CREATE SCHEMA IF NOT EXISTS \(schema)")
            try await connection.execute("""
                CREATE TABLE IF NOT EXISTS \(schema).schema_migrations (
                    version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())
                """)
            let applied = try await connection.query("SELECT coalesce(max(version), 0) AS version FROM \(schema).schema_migrations")
            let current = Int(try applied.first?.int("version") ?? 0)
            guard current <= migrations.last?.version ?? 0 else {
                throw CatalogError(.storage, "the job catalog was written by a newer phoenix-dr; upgrade to open it",
                                   detail: "schema \(schema) is at version \(current)")
            }
            for migration in migrations where migration.version > current {
                for statement in migration.statements {
                    try await connection.execute(statement.replacing("{s}", with: schema))
                }
                try await connection.execute("INSERT INTO \(schema).schema_migrations (version) VALUES ($1)", [.int(Int64(migration.version))])
            }
        }
    }

    /// Dates are `timestamptz` (readable in psql) written and read as exact unix milliseconds.
    /// `heartbeat_at` is when the worker running a job last said it was alive: a job whose worker
    /// fell silent is interrupted by the leader, since another instance's process may have died.
    private static let jobsV1 = [
        """
        CREATE TABLE {s}.jobs (
            id text PRIMARY KEY,
            kind text NOT NULL,
            state text NOT NULL,
            dataset text,
            triggered_by text NOT NULL,
            idempotency_key text,
            created_at timestamptz NOT NULL,
            started_at timestamptz,
            finished_at timestamptz,
            heartbeat_at timestamptz,
            worker text,
            bytes_done bigint NOT NULL DEFAULT 0,
            bytes_total bigint,
            items bigint NOT NULL DEFAULT 0,
            error text,
            is_cancel_requested boolean NOT NULL DEFAULT false
        )
        """,
        // `list`: newest first, ties broken by id, so cursor pages are stable.
        "CREATE INDEX jobs_by_creation ON {s}.jobs (created_at, id)",
        // `claimNext` (queued, oldest first) and the sweeps over running jobs.
        "CREATE INDEX jobs_by_state ON {s}.jobs (state, created_at, id)",
        // Idempotent enqueue: a key names one job, even under concurrent enqueues.
        "CREATE UNIQUE INDEX jobs_idempotency_key ON {s}.jobs (idempotency_key) WHERE idempotency_key IS NOT NULL",
        // At most one running job per dataset across every instance, enforced by the database.
        "CREATE UNIQUE INDEX jobs_running_dataset ON {s}.jobs (dataset) WHERE state = 'running' AND dataset IS NOT NULL",
        """
        CREATE TABLE {s}.job_steps (
            job_id text NOT NULL REFERENCES {s}.jobs (id) ON DELETE CASCADE,
            name text NOT NULL,
            attempt integer NOT NULL,
            started_at timestamptz NOT NULL,
            finished_at timestamptz,
            error text,
            PRIMARY KEY (job_id, name, attempt)
        )
        """,
        // Leader leases: one row per lease name; `epoch` grows with every change of holder and
        // serves as a fencing token.
        """
        CREATE TABLE {s}.leases (
            name text PRIMARY KEY,
            holder text NOT NULL,
            epoch bigint NOT NULL,
            expires_at timestamptz NOT NULL
        )
        """,
    ]

    /// The backup index; `labels` is a JSON object.
    private static let backupsV2 = [
        """
        CREATE TABLE {s}.backups (
            id text PRIMARY KEY,
            dataset text NOT NULL,
            tier text NOT NULL,
            source_kind text NOT NULL,
            source_version text,
            store text NOT NULL,
            object_key text NOT NULL,
            manifest_key text NOT NULL,
            snapshot_at timestamptz NOT NULL,
            started_at timestamptz NOT NULL,
            finished_at timestamptz NOT NULL,
            raw_bytes bigint NOT NULL,
            stored_bytes bigint NOT NULL,
            sha256 text NOT NULL,
            compression text NOT NULL,
            key_id text,
            record_count bigint,
            content_digest text,
            labels jsonb NOT NULL DEFAULT '{}',
            job_id text,
            verified_at timestamptz,
            verify_error text,
            is_pinned boolean NOT NULL DEFAULT false
        )
        """,
        // Listing per dataset, newest snapshot first (ties by id), and the retention planner.
        "CREATE INDEX backups_by_dataset ON {s}.backups (dataset, snapshot_at, id)",
        "CREATE INDEX backups_by_snapshot ON {s}.backups (snapshot_at, id)",
    ]

    /// The event history (append-only; `id` orders it and is the list cursor), the cached
    /// active-region marker (one row, `id` = 1), and when each lease was last renewed and taken
    /// (the server's clock), so a successor can record how long a takeover took.
    private static let eventsAndActiveRegionV4 = [
        """
        CREATE TABLE {s}.events (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            time timestamptz NOT NULL,
            kind text NOT NULL,
            subject text NOT NULL,
            severity text NOT NULL,
            message text NOT NULL,
            details jsonb NOT NULL DEFAULT '{}'
        )
        """,
        // Filters by subject or kind, newest first; pruning by time.
        "CREATE INDEX events_by_subject ON {s}.events (subject, id)",
        "CREATE INDEX events_by_kind ON {s}.events (kind, id)",
        "CREATE INDEX events_by_time ON {s}.events (time)",
        """
        CREATE TABLE {s}.active_region (
            id integer PRIMARY KEY CHECK (id = 1),
            region text NOT NULL,
            epoch bigint NOT NULL,
            updated_at timestamptz NOT NULL,
            source text NOT NULL
        )
        """,
        "ALTER TABLE {s}.leases ADD COLUMN renewed_at timestamptz, ADD COLUMN acquired_at timestamptz",
    ]
}
