/// The seed's `backup:` block (§3.2) with our additions.
public struct BackupSettings: Sendable, Equatable {
    public var s3: S3Settings?
    public var redis: ScheduledBackupSettings?
    public var vault: VaultBackupSettings?
    public var git: GitBackupSettings?

    public init(s3: S3Settings? = nil, redis: ScheduledBackupSettings? = nil, vault: VaultBackupSettings? = nil, git: GitBackupSettings? = nil) {
        self.s3 = s3
        self.redis = redis
        self.vault = vault
        self.git = git
    }
}

/// `backup.s3`: the bucket, and our additions for endpoint, credentials and addressing.
public struct S3Settings: Sendable, Equatable {
    public var bucket: String
    public var region: String
    /// Server-side encryption sent with every object (`AES256` or `aws:kms`).
    public var encryption: String?
    public var lifecycleRules: [LifecycleRule]
    /// Our addition: a non-AWS endpoint (moto, MinIO); nil means AWS.
    public var endpoint: String?
    /// Our addition: path-style addressing (`endpoint/bucket/key`).
    public var pathStyle: Bool
    public var accessKeyID: String?
    public var secretAccessKey: Secret?

    public init(bucket: String, region: String, encryption: String? = nil, lifecycleRules: [LifecycleRule] = [],
                endpoint: String? = nil, pathStyle: Bool = false, accessKeyID: String? = nil, secretAccessKey: Secret? = nil) {
        self.bucket = bucket
        self.region = region
        self.encryption = encryption
        self.lifecycleRules = lifecycleRules
        self.endpoint = endpoint
        self.pathStyle = pathStyle
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
    }
}

/// `backup.s3.lifecycle_rules[]`.
public struct LifecycleRule: Sendable, Equatable {
    public var prefix: String
    public var expirationDays: Int

    public init(prefix: String, expirationDays: Int) {
        self.prefix = prefix
        self.expirationDays = expirationDays
    }
}

/// `backup.redis` (and any source with a script, a schedule and a retention policy).
public struct ScheduledBackupSettings: Sendable, Equatable {
    /// Runs before each backup as an optional hook (DESIGN.md §5).
    public var backupScript: String?
    public var schedule: String?
    public var retention: RetentionRules

    public init(backupScript: String? = nil, schedule: String? = nil, retention: RetentionRules = RetentionRules()) {
        self.backupScript = backupScript
        self.schedule = schedule
        self.retention = retention
    }
}

/// `backup.vault`: `backup_path` is the local staging folder for snapshots.
public struct VaultBackupSettings: Sendable, Equatable {
    public var backupPath: String?
    public var schedule: String?
    public var retention: RetentionRules

    public init(backupPath: String? = nil, schedule: String? = nil, retention: RetentionRules = RetentionRules()) {
        self.backupPath = backupPath
        self.schedule = schedule
        self.retention = retention
    }
}

/// `backup.git`.
public struct GitBackupSettings: Sendable, Equatable {
    public var repositories: [GitRepositorySpec]

    public init(repositories: [GitRepositorySpec]) {
        self.repositories = repositories
    }
}

/// `backup.git.repositories[]`, with our additions for credentials.
public struct GitRepositorySpec: Sendable, Equatable {
    public var name: String
    public var url: String
    public var branch: String?
    public var backupSchedule: String?
    /// Our addition: an SSH private key file for `git@` URLs.
    public var sshKeyFile: String?
    /// Our addition: a known_hosts file for SSH URLs.
    public var knownHostsFile: String?
    /// Our addition: a token for HTTPS URLs.
    public var token: Secret?

    public init(name: String, url: String, branch: String? = nil, backupSchedule: String? = nil,
                sshKeyFile: String? = nil, knownHostsFile: String? = nil, token: Secret? = nil) {
        self.name = name
        self.url = url
        self.branch = branch
        self.backupSchedule = backupSchedule
        self.sshKeyFile = sshKeyFile
        self.knownHostsFile = knownHostsFile
        self.token = token
    }
}

/// The `retention:` keys of the seed: restic-style `keep_*` counts.
public struct RetentionRules: Sendable, Equatable {
    public var keepLast: Int?
    public var keepHourly: Int?
    public var keepDaily: Int?
    public var keepWeekly: Int?
    public var keepMonthly: Int?
    public var keepYearly: Int?

    public init(keepLast: Int? = nil, keepHourly: Int? = nil, keepDaily: Int? = nil, keepWeekly: Int? = nil,
                keepMonthly: Int? = nil, keepYearly: Int? = nil) {
        self.keepLast = keepLast
        self.keepHourly = keepHourly
        self.keepDaily = keepDaily
        self.keepWeekly = keepWeekly
        self.keepMonthly = keepMonthly
        self.keepYearly = keepYearly
    }

    /// Whether no rule is set (then nothing is deleted by count).
    public var isEmpty: Bool {
        [keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly].allSatisfy { $0 == nil }
    }
}
