import PhoenixConfig
import PhoenixDomain
import Testing

@Suite struct InvalidConfigurationTests {
    @Test func badDurationNamesTheKeyPathAndLine() {
        let yaml = """
        recovery_steps:
          - name: backup_validation
            timeout: 5m
            retries: 3
          - name: data_restoration
            timeout: 30m
          - name: consistency_check
            timeout: 10x
        """
        #expect(errors(yaml) == [#"recovery_steps[2].timeout: line 8: "10x" is not a duration (use e.g. 30s, 15m, 6h)"#])
    }

    @Test func aCatalogSchemaThatIsNoIdentifierAndALeaseOutOfRangeAreErrors() {
        let yaml = """
        catalog:
          kind: postgres
          url: postgresql://db/p
          schema: "phoenix; DROP TABLE jobs"
          lease_duration: 0s
        """
        let found = errors(yaml)
        #expect(found.count == 2)
        #expect(found.first?.hasPrefix("catalog.schema: line 4: must be a lowercase SQL identifier") == true)
        #expect(found.last?.hasPrefix("catalog.lease_duration: line 5:") == true)
    }

    @Test func unknownKeyGetsASuggestion() {
        let yaml = """
        backup:
          redis:
            schedule: "*/15 * * * *"
            retension:
              keep_last: 4
        """
        #expect(errors(yaml) == [#"backup.redis.retension: line 4: unknown key "retension"; did you mean "retention"?"#])
    }

    @Test func unknownTopLevelKeyWithoutACloseMatchHasNoSuggestion() {
        #expect(errors("frobnicate: 1\n") == [#"frobnicate: line 1: unknown key "frobnicate""#])
    }

    @Test func everyErrorIsReportedAtOnceInFileOrder() {
        let yaml = """
        rpo_targets:
          redis_data:
            target_minutes: fifteen
            acceptable_minutes: 30
        recovery_steps:
          - name: backup_validation
            retries: -1
        dns_failover:
          provider: bind
        """
        #expect(errors(yaml) == [
            #"rpo_targets.redis_data.target_minutes: line 3: "fifteen" is not a whole number"#,
            "recovery_steps[0]: line 6: missing required key \"timeout\"",
            "recovery_steps[0].retries: line 7: -1 is out of range 0...100",
            #"dns_failover.provider: line 9: "bind" is not one of "route53", "powerdns", "file""#,
            "dns_failover: line 9: missing required key \"health_check\"",
            "dns_failover: line 9: missing required key \"primary_region\"",
            "dns_failover: line 9: missing required key \"dr_region\"",
        ])
    }

    @Test func badCronExpressionIsAnError() {
        let lines = errors("backup:\n  vault:\n    schedule: \"0 */1 * *\"\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix(#"backup.vault.schedule: line 3: "0 */1 * *" is not a cron expression: "#) == true)
    }

    @Test func datasetNamingAMissingTierIsAnError() {
        let yaml = """
        datasets:
          sessions:
            source: directory
        """
        #expect(errors(yaml) == [#"datasets.sessions: line 3: dataset "sessions" has no tier: add it to data_tiers or set datasets.sessions.tier"#])
    }

    @Test func datasetNamingAMissingStoreIsAnError() {
        let yaml = """
        stores:
          local:
            kind: local
            path: /var/backups
        datasets:
          files:
            source: directory
            tier: Standard
            schedule: "0 * * * *"
            path: /srv/files
            store: offsite
        """
        #expect(errors(yaml) == [#"datasets.files.store: line 11: store "offsite" is not defined in stores"#])
    }

    @Test func intervalThatCannotMeetTheAcceptableRPOIsAnError() {
        let yaml = """
        data_tiers:
          - name: redis_data
            tier: Critical
            backup_interval_minutes: 60
            retention_days: 30
        rpo_targets:
          redis_data:
            target_minutes: 15
            acceptable_minutes: 30
        """
        #expect(errors(yaml) == ["rpo_targets.redis_data: backups every 60 minutes (0 * * * *) cannot meet acceptable_minutes 30"])
    }

    @Test func intervalAboveTheTargetRPOIsAWarning() throws {
        let yaml = """
        data_tiers:
          - name: redis_data
            tier: Critical
            backup_interval_minutes: 20
            retention_days: 30
        rpo_targets:
          redis_data:
            target_minutes: 15
            acceptable_minutes: 30
        """
        let loaded = try ConfigurationLoader.load(yaml: yaml)
        #expect(loaded.warnings.map(\.description) == ["rpo_targets.redis_data: backups every 20 minutes (*/20 * * * *) miss target_minutes 15"])
    }

    @Test func missingEnvironmentVariableIsAnErrorAndPresentOneIsSubstituted() throws {
        let yaml = """
        regions:
          production:
            role: primary
            redis:
              address: 127.0.0.1:6390
              password: ${REDIS_PASSWORD}
        """
        #expect(errors(yaml) == ["regions.production.redis.password: line 6: environment variable REDIS_PASSWORD is not set"])
        let loaded = try ConfigurationLoader.load(yaml: yaml, environment: ["REDIS_PASSWORD": "s3cret"])
        #expect(loaded.configuration.regions.first?.redisPassword?.value == "s3cret")
        #expect("\(loaded.configuration.regions.first?.redisPassword as Any)".contains("s3cret") == false)
    }

    @Test func yamlSyntaxErrorNamesTheLine() {
        let lines = errors("backup:\n  s3:\n    bucket: [unclosed\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("line ") == true)
        #expect(lines.first?.contains("YAML syntax error") == true)
    }

    @Test func wrongShapesAreErrorsNotCrashes() {
        #expect(errors("- just\n- a list\n") == ["line 1: expected a mapping, found a list"])
        #expect(errors("recovery_steps: 5\n") == ["recovery_steps: line 1: expected a list, found a value"])
        #expect(errors("backup:\n  s3: [1, 2]\n") == ["backup.s3: line 2: expected a mapping, found a list"])
    }

    @Test func oversizedFileIsRefused() {
        let huge = "# " + String(repeating: "x", count: 1 << 20) + "\n"
        #expect(errors(huge) == ["the file is larger than 1 MiB"])
    }

    @Test func tokenHashMustBeSHA256Hex() {
        let yaml = "auth:\n  tokens:\n    - name: ci\n      role: operator\n      sha256: not-a-hash\n"
        #expect(errors(yaml) == ["auth.tokens[0].sha256: line 5: not a SHA-256 hex digest (64 hex digits); make one with `phoenix-dr token create`"])
    }
}
