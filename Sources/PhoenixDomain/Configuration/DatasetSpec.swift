/// A dataset: what is backed up, from which source, how often, where and for how long.
///
/// Read from `datasets.<name>` and completed from the seed's blocks by the rules of DESIGN.md §5.
public struct DatasetSpec: Sendable, Equatable {
    public enum SourceKind: String, Sendable, Equatable, CaseIterable {
        case redis, postgres, vault, git, directory
    }

    /// How a `redis` dataset is backed up: an RDB over the replication protocol (`SYNC`), or
    /// `SCAN` + `DUMP` for servers that refuse `SYNC`.
    public enum RedisMode: String, Sendable, Equatable, CaseIterable {
        case rdb, logical
    }

    public var name: String
    public var source: SourceKind
    public var tier: Tier
    /// The cron expression the scheduler uses.
    public var schedule: String
    public var timeZone: String
    public var retention: RetentionRules
    public var retentionDays: Int?
    public var encryptionRequired: Bool
    /// The key prefix in the store (`redis/`).
    public var prefix: String
    public var store: String
    /// For `directory` sources: the folder.
    public var path: String?
    /// For `git` sources: the repository name in `backup.git.repositories`.
    public var repository: String?
    /// Runs before each backup (`backup.redis.backup_script`).
    public var preBackupHook: String?
    /// For `postgres` sources: the database's URL (default: the primary region's
    /// `regions.<name>.postgres.url`).
    public var url: Secret?
    /// For `postgres` sources: tables whose rows are hashed into the backup's state hash.
    public var stateTables: [String] = []
    /// For `postgres` sources: a query answering the schema version (the newest migration).
    public var schemaVersionQuery: String?
    /// For `postgres` sources: whether roles (`pg_dumpall --globals-only`) go with the dump.
    public var includesGlobals = true
    /// For `postgres` sources: pg_dump's `--compress` (`0`–`9`, or `method[:detail]` on
    /// PostgreSQL 16 and later); `0` or `none` leaves compression to our zstd.
    public var dumpCompression = DatasetSpec.defaultDumpCompression
    /// zlib level 1: on a 1 GB pgbench database it takes 1.3–1.6 s of pg_dump's CPU against
    /// 2.4–2.5 s for pg_dump's own default of 6, for 19.5 MB against 19.1 MB, and restores as fast.
    public static let defaultDumpCompression = "1"
    /// For `redis` sources: `rdb` (default) or `logical`.
    public var redisMode: RedisMode = .rdb

    public init(name: String, source: SourceKind, tier: Tier, schedule: String, timeZone: String = "UTC",
                retention: RetentionRules = RetentionRules(), retentionDays: Int? = nil, encryptionRequired: Bool = true,
                prefix: String, store: String, path: String? = nil, repository: String? = nil, preBackupHook: String? = nil) {
        self.name = name
        self.source = source
        self.tier = tier
        self.schedule = schedule
        self.timeZone = timeZone
        self.retention = retention
        self.retentionDays = retentionDays
        self.encryptionRequired = encryptionRequired
        self.prefix = prefix
        self.store = store
        self.path = path
        self.repository = repository
        self.preBackupHook = preBackupHook
    }
}
