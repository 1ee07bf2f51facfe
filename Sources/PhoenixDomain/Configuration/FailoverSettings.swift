/// The seed's `dns_failover:` block (§5.2).
public struct DNSFailoverSettings: Sendable, Equatable {
    public enum Provider: String, Sendable, Equatable, CaseIterable {
        case route53, powerdns, file
    }

    public var provider: Provider
    public var healthCheck: HealthCheckSettings
    public var primaryRegion: FailoverRegion
    public var drRegion: FailoverRegion
    public var policyType: String
    public var ttlSeconds: Int

    public init(provider: Provider, healthCheck: HealthCheckSettings, primaryRegion: FailoverRegion,
                drRegion: FailoverRegion, policyType: String, ttlSeconds: Int) {
        self.provider = provider
        self.healthCheck = healthCheck
        self.primaryRegion = primaryRegion
        self.drRegion = drRegion
        self.policyType = policyType
        self.ttlSeconds = ttlSeconds
    }
}

/// `dns_failover.health_check`: `interval` is in seconds (DESIGN.md §5).
public struct HealthCheckSettings: Sendable, Equatable {
    public var `protocol`: String
    public var port: Int
    public var path: String
    public var intervalSeconds: Int
    public var failureThreshold: Int

    public init(protocol: String, port: Int, path: String, intervalSeconds: Int, failureThreshold: Int) {
        self.protocol = `protocol`
        self.port = port
        self.path = path
        self.intervalSeconds = intervalSeconds
        self.failureThreshold = failureThreshold
    }
}

/// `dns_failover.primary_region` / `dr_region`.
public struct FailoverRegion: Sendable, Equatable {
    public var domain: String
    public var healthCheckID: String?

    public init(domain: String, healthCheckID: String? = nil) {
        self.domain = domain
        self.healthCheckID = healthCheckID
    }
}

/// One entry of `integrity_checks.<dataset>[]` (§6.2).
public struct IntegrityCheckSpec: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        case checksum, recordCount = "record_count", stateHash = "state_hash", versionCheck = "version_check"
    }

    public enum Action: String, Sendable, Equatable, CaseIterable {
        case alertOnMismatch = "alert_on_mismatch", alertOnThreshold = "alert_on_threshold", blockOnMismatch = "block_on_mismatch"
    }

    public var kind: Kind
    public var interval: Duration
    public var action: Action
    /// For `record_count`: the allowed difference between regions, in percent.
    public var thresholdPercent: Double?

    public init(kind: Kind, interval: Duration, action: Action, thresholdPercent: Double? = nil) {
        self.kind = kind
        self.interval = interval
        self.action = action
        self.thresholdPercent = thresholdPercent
    }
}

/// One entry of `recovery_steps[]` (§7.2).
public struct RecoveryStepSpec: Sendable, Equatable {
    public var name: String
    public var timeout: Duration
    public var retries: Int

    public init(name: String, timeout: Duration, retries: Int) {
        self.name = name
        self.timeout = timeout
        self.retries = retries
    }
}

/// One entry of `testing_schedule` (§9.1).
public struct TestingScheduleEntry: Sendable, Equatable {
    public enum Frequency: String, Sendable, Equatable, CaseIterable {
        case hourly, daily, weekly, monthly, quarterly, yearly
    }

    public enum Mode: String, Sendable, Equatable, CaseIterable {
        case automated, manual
    }

    public var frequency: Frequency
    public var mode: Mode

    public init(frequency: Frequency, mode: Mode) {
        self.frequency = frequency
        self.mode = mode
    }
}
