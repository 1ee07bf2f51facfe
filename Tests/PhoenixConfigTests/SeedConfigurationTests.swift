import PhoenixConfig
import PhoenixDomain
import Testing

@Suite struct SeedConfigurationTests {
    static func loaded() throws -> ConfigurationLoader.Loaded {
        try ConfigurationLoader.load(yaml: SeedFixture.seedConfiguration)
    }

    @Test func theSeedHasItsSevenYAMLBlocks() {
        #expect(SeedFixture.yamlBlocks.count == 7)
    }

    @Test func everySeedBlockAloneIsAValidFile() throws {
        for block in SeedFixture.yamlBlocks {
            _ = try ConfigurationLoader.load(yaml: block)
        }
    }

    @Test func backupBlockLoadsAsWritten() throws {
        let backup = try Self.loaded().configuration.backup
        let s3 = try #require(backup.s3)
        #expect(s3.bucket == "phoenix-orch-backups")
        #expect(s3.region == "us-west-2")
        #expect(s3.encryption == "AES256")
        #expect(s3.lifecycleRules == [.init(prefix: "redis/", expirationDays: 30), .init(prefix: "agent-state/", expirationDays: 14),
                                      .init(prefix: "metrics/", expirationDays: 7)])
        #expect(backup.redis?.backupScript == "/usr/local/bin/redis-backup.sh")
        #expect(backup.redis?.schedule == "*/15 * * * *")
        #expect(backup.redis?.retention == RetentionRules(keepLast: 96, keepDaily: 30, keepWeekly: 8, keepMonthly: 3))
        #expect(backup.vault?.backupPath == "/vault/backup")
        #expect(backup.vault?.schedule == "0 */1 * * *")
        #expect(backup.vault?.retention == RetentionRules(keepLast: 24, keepDaily: 7, keepWeekly: 4))
        let repository = try #require(backup.git?.repositories.first)
        #expect(repository.name == "phoenix-orchestrator")
        #expect(repository.url == "git@github.com:company/phoenix-orchestrator.git")
        #expect(repository.branch == "main")
        #expect(repository.backupSchedule == "0 */6 * * *")
    }

    @Test func objectivesLoadAsWritten() throws {
        let configuration = try Self.loaded().configuration
        #expect(configuration.rtoTargets["critical_services"] == ObjectiveTarget(targetMinutes: 15, acceptableMinutes: 30))
        #expect(configuration.rtoTargets["important_services"] == ObjectiveTarget(targetMinutes: 30, acceptableMinutes: 60))
        #expect(configuration.rtoTargets["standard_services"] == ObjectiveTarget(targetMinutes: 60, acceptableMinutes: 120))
        #expect(configuration.rpoTargets["redis_data"] == ObjectiveTarget(targetMinutes: 15, acceptableMinutes: 30))
        #expect(configuration.rpoTargets["agent_state"] == ObjectiveTarget(targetMinutes: 30, acceptableMinutes: 60))
        #expect(configuration.rpoTargets["metrics"] == ObjectiveTarget(targetMinutes: 60, acceptableMinutes: 120))
    }

    @Test func dnsFailoverLoadsWithIntervalInSeconds() throws {
        let failover = try #require(try Self.loaded().configuration.dnsFailover)
        #expect(failover.provider == .route53)
        #expect(failover.healthCheck == HealthCheckSettings(protocol: "HTTPS", port: 443, path: "/health", intervalSeconds: 10, failureThreshold: 3))
        #expect(failover.primaryRegion == FailoverRegion(domain: "phoenix-orch.example.com", healthCheckID: "primary-hc-id"))
        #expect(failover.drRegion == FailoverRegion(domain: "dr.phoenix-orch.example.com", healthCheckID: "dr-hc-id"))
        #expect(failover.policyType == "active-passive")
        #expect(failover.ttlSeconds == 60)
    }

    @Test func integrityChecksLoadWithDurationsAndThreshold() throws {
        let checks = try Self.loaded().configuration.integrityChecks
        #expect(checks["redis"] == [
            IntegrityCheckSpec(kind: .checksum, interval: .seconds(900), action: .alertOnMismatch),
            IntegrityCheckSpec(kind: .recordCount, interval: .seconds(300), action: .alertOnThreshold, thresholdPercent: 5),
        ])
        #expect(checks["agent_state"] == [
            IntegrityCheckSpec(kind: .stateHash, interval: .seconds(300), action: .alertOnMismatch),
            IntegrityCheckSpec(kind: .versionCheck, interval: .seconds(60), action: .blockOnMismatch),
        ])
    }

    @Test func recoveryStepsLoadInOrder() throws {
        let steps = try Self.loaded().configuration.recoverySteps
        #expect(steps.map(\.name) == ["backup_validation", "data_restoration", "consistency_check", "service_startup", "recovery_validation"])
        #expect(steps[1] == RecoveryStepSpec(name: "data_restoration", timeout: .seconds(1800), retries: 2))
        #expect(steps.map(\.timeout) == [.seconds(300), .seconds(1800), .seconds(600), .seconds(900), .seconds(600)])
        #expect(steps.map(\.retries) == [3, 2, 3, 2, 3])
    }

    @Test func testingScheduleLoads() throws {
        let schedule = try Self.loaded().configuration.testingSchedule
        #expect(schedule["backup_verification"] == TestingScheduleEntry(frequency: .daily, mode: .automated))
        #expect(schedule["recovery_testing"] == TestingScheduleEntry(frequency: .weekly, mode: .automated))
        #expect(schedule["failover_testing"] == TestingScheduleEntry(frequency: .monthly, mode: .manual))
        #expect(schedule["full_dr_test"] == TestingScheduleEntry(frequency: .quarterly, mode: .manual))
    }

    @Test func datasetsFollowTheRulesOfDesignSection5() throws {
        let configuration = try Self.loaded().configuration
        #expect(configuration.datasets.map(\.name) == ["agent_state", "git-phoenix-orchestrator", "metrics", "redis_data", "vault"])
        let redis = try #require(configuration.dataset(named: "redis_data"))
        #expect(redis.source == .redis)
        #expect(redis.tier == .critical)
        #expect(redis.schedule == "*/15 * * * *")
        #expect(redis.prefix == "redis/")
        #expect(redis.retentionDays == 30)
        #expect(redis.preBackupHook == "/usr/local/bin/redis-backup.sh")
        let agent = try #require(configuration.dataset(named: "agent_state"))
        #expect(agent.source == .postgres)
        #expect(agent.schedule == "*/30 * * * *", "the interval alone gives the equivalent schedule")
        #expect(agent.prefix == "agent-state/")
        let metrics = try #require(configuration.dataset(named: "metrics"))
        #expect(metrics.schedule == "0 * * * *")
        #expect(metrics.prefix == "metrics/")
        #expect(!metrics.encryptionRequired)
        #expect(configuration.dataset(named: "vault")?.tier == .critical)
        #expect(configuration.dataset(named: "git-phoenix-orchestrator")?.tier == .important)
        #expect(configuration.dataset(named: "git-phoenix-orchestrator")?.schedule == "0 */6 * * *")
    }

    @Test func seedContradictionsAreWarningsNamingBothKeys() throws {
        let warnings = try Self.loaded().warnings.map(\.description)
        #expect(warnings.contains("backup.redis.retention.keep_weekly: 8 reaches beyond data_tiers redis_data.retention_days (30 days); capped at 30 days"))
        #expect(warnings.contains("backup.redis.retention.keep_monthly: 3 reaches beyond data_tiers redis_data.retention_days (30 days); capped at 30 days"))
        #expect(!warnings.contains { $0.contains("keep_daily") }, "30 daily backups fit in 30 days")
    }
}
