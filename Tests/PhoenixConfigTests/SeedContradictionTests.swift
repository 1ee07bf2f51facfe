import PhoenixConfig
import PhoenixDomain
import Testing

@Suite struct SeedContradictionTests {
    @Test func lifecycleExpiryShorterThanRetentionIsAWarningNamingBothKeys() throws {
        let yaml = """
        data_tiers:
          - {name: redis_data, tier: Critical, backup_interval_minutes: 15, retention_days: 30}
        backup:
          s3:
            bucket: b
            region: us-west-2
            lifecycle_rules:
              - {prefix: redis/, expiration_days: 7}
          redis:
            schedule: "*/15 * * * *"
        """
        let warnings = try ConfigurationLoader.load(yaml: yaml).warnings.map(\.description)
        #expect(warnings == ["backup.s3.lifecycle_rules[0].expiration_days: 7 is shorter than data_tiers redis_data.retention_days (30); applied to retired objects under expired/ only, so retention decides what is kept"])
    }

    @Test func anExplicitScheduleThatDiffersFromTheIntervalIsAWarning() throws {
        let yaml = """
        data_tiers:
          - {name: metrics, tier: Standard, backup_interval_minutes: 60, retention_days: 7}
        datasets:
          metrics:
            path: /srv/metrics
            schedule: "*/30 * * * *"
        """
        let warnings = try ConfigurationLoader.load(yaml: yaml).warnings.map(\.description)
        #expect(warnings == [#"datasets.metrics.schedule: line 6: "*/30 * * * *" differs from data_tiers metrics.backup_interval_minutes (60); the schedule wins"#])
    }

    @Test func theSeedsOwnHourlyVaultScheduleEqualsAnHourlyInterval() throws {
        let yaml = """
        data_tiers:
          - {name: vault, tier: Critical, backup_interval_minutes: 60, retention_days: 30}
        backup:
          vault:
            schedule: "0 */1 * * *"
        """
        #expect(try ConfigurationLoader.load(yaml: yaml).warnings.isEmpty, "0 */1 * * * and 0 * * * * fire at the same times")
    }
}
