import PhoenixConfig
import PhoenixDomain
import Testing

/// Loads `yaml` expecting failure; returns the error lines as `config validate` prints them.
private func errors(_ yaml: String, environment: [String: String] = [:]) -> [String] {
    do {
        _ = try ConfigurationLoader.load(yaml: yaml, environment: environment)
        return []
    } catch {
        return error.errors.map(\.description)
    }
}

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

@Suite struct ConfigurationDefaultsTests {
    @Test func emptyFileGivesTheEmbeddedDefaults() throws {
        let configuration = try ConfigurationLoader.load(yaml: "").configuration
        #expect(configuration == EmbeddedDefaults.configuration)
        #expect(configuration.datasets.first?.path == "./Deploy/sample-data")
        #expect(configuration.catalog.kind == .sqlite)
        #expect(configuration.tokens == nil)
    }

    @Test func serverSectionOverridesDefaults() throws {
        let yaml = """
        server:
          listeners:
            - address: "[::1]:9443"
          connection_limit: 500
          header_timeout: 5s
          shutdown_grace: 1m30s
        """
        let server = try ConfigurationLoader.load(yaml: yaml).configuration.server
        #expect(server.listeners == [ListenerSpec(address: "[::1]:9443")])
        #expect(server.connectionLimit == 500)
        #expect(server.headerTimeout == .seconds(5))
        #expect(server.shutdownGrace == .seconds(90))
        #expect(server.idleTimeout == .seconds(60))
    }

    @Test func showPrintsTheEffectiveConfigurationWithSecretsRedacted() throws {
        let yaml = """
        catalog:
          kind: postgres
          url: postgresql://phoenix:hunter2@db/phoenix
        \(SeedFixture.seedConfiguration)
        """
        let text = ConfigurationPrinter.yaml(try ConfigurationLoader.load(yaml: yaml).configuration)
        #expect(!text.contains("hunter2"))
        #expect(text.contains("url: '***'") || text.contains("url: \"***\""))
        #expect(text.contains("schedule: '*/30 * * * *'"))
        #expect(text.contains("prefix: agent-state/"))
    }
}

@Suite struct DurationTextTests {
    @Test(arguments: [("30s", 30), ("15m", 900), ("6h", 21_600), ("2d", 172_800), ("1h30m", 5_400)])
    func parsesDurations(text: String, seconds: Int) {
        #expect(DurationText.parse(text) == .seconds(seconds))
    }

    @Test func parsesMilliseconds() {
        #expect(DurationText.parse("500ms") == .milliseconds(500))
    }

    @Test(arguments: ["", "10", "10x", "m", "-5m", "5 m", "1.5h", "99999999999h"])
    func refusesWhatIsNotADuration(text: String) {
        #expect(DurationText.parse(text) == nil)
    }

    @Test func formatsBackToTheShortestText() {
        #expect(DurationText.format(.seconds(5_400)) == "1h30m")
        #expect(DurationText.format(.milliseconds(1_500)) == "1s500ms")
    }
}

@Suite struct ConfigurationReviewCasesTests {
    @Test func aTierGivenInDataTiersOverridesVaultsDefaultWithoutDuplicatingIt() throws {
        let yaml = """
        data_tiers:
          - name: vault
            tier: Important
            backup_interval_minutes: 60
            retention_days: 7
        backup:
          vault:
            schedule: "0 * * * *"
        """
        let datasets = try ConfigurationLoader.load(yaml: yaml).configuration.datasets
        #expect(datasets.map(\.name) == ["vault"])
        #expect(datasets.first?.tier == .important)
    }

    @Test func duplicateDataTierNamesAreAnError() {
        let yaml = """
        data_tiers:
          - {name: metrics, tier: Standard, backup_interval_minutes: 60, retention_days: 7}
          - {name: metrics, tier: Standard, backup_interval_minutes: 30, retention_days: 7}
        """
        #expect(errors(yaml) == [#"data_tiers[1].name: line 3: duplicate "metrics" (also data_tiers[0])"#])
    }

    @Test func backupRedisAloneImpliesTheCriticalRedisDataset() throws {
        let yaml = "backup:\n  redis:\n    schedule: \"*/15 * * * *\"\n"
        let redis = try #require(try ConfigurationLoader.load(yaml: yaml).configuration.dataset(named: "redis_data"))
        #expect(redis.tier == .critical)
        #expect(redis.schedule == "*/15 * * * *")
    }

    @Test func aWeeklyScheduleCannotMeetAHalfHourRPO() {
        let yaml = """
        data_tiers:
          - {name: redis_data, tier: Critical, backup_interval_minutes: 15, retention_days: 30}
        datasets:
          redis_data:
            schedule: "0 0 * * 1"
        rpo_targets:
          redis_data: {target_minutes: 15, acceptable_minutes: 30}
        """
        let lines = errors(yaml)
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("rpo_targets.redis_data: backups every 10080 minutes") == true)
    }

    @Test func absurdServerTimeoutsAreRefused() {
        #expect(errors("server:\n  header_timeout: 107639d\n") == ["server.header_timeout: line 2: must be between 1ms and 1d"])
        #expect(errors("server:\n  idle_timeout: 0s\n") == ["server.idle_timeout: line 2: must be longer than zero"])
    }

    @Test func emptyValuesDoNotSatisfyRequiredKeys() {
        #expect(errors("backup:\n  s3:\n    bucket:\n    region: us-west-2\n") == ["backup.s3.bucket: line 3: has no value"])
        #expect(errors("backup:\n  s3:\n    bucket: ~\n    region: us-west-2\n") == ["backup.s3.bucket: line 3: has no value"])
    }

    @Test func mergeKeysAreRefusedWithAReason() {
        let yaml = """
        rpo_targets:
          redis_data: &base {target_minutes: 15, acceptable_minutes: 30}
          agent_state:
            <<: *base
        """
        #expect(errors(yaml) == ["rpo_targets.agent_state.<<: line 4: YAML merge keys (<<) are not supported: write the keys out"])
    }

    @Test func aSecretInTheWrongKeyIsNeverEchoed() {
        let lines = errors("recovery_steps:\n  - name: backup_validation\n    timeout: 5m\n    retries: ${DB_PASSWORD}\n",
                           environment: ["DB_PASSWORD": "hunter2"])
        #expect(lines == ["recovery_steps[0].retries: line 4: the value of ${DB_PASSWORD} is not a whole number"])
    }

    @Test func environmentReferencesAreChecked() {
        #expect(errors("backup:\n  s3:\n    bucket: ${BUCKET\n    region: x\n") == ["backup.s3.bucket: line 3: unterminated ${ (write $${ for a literal ${)"])
        #expect(errors("backup:\n  s3:\n    bucket: ${A:-b}\n    region: x\n")
            == [#"backup.s3.bucket: line 3: "${A:-b}" is not an environment variable reference (names are letters, digits and _)"#])
    }

    @Test func literalDollarBraceIsKept() throws {
        let loaded = try ConfigurationLoader.load(yaml: "backup:\n  s3:\n    bucket: a$${b}\n    region: x\n")
        #expect(loaded.configuration.backup.s3?.bucket == "a${b}")
    }

    @Test func unknownTimeZoneIsAnError() {
        let yaml = """
        datasets:
          files:
            source: directory
            tier: Standard
            schedule: "0 2 * * *"
            time_zone: Europe/Berln
            path: /srv
        """
        #expect(errors(yaml) == [#"datasets.files.time_zone: line 6: "Europe/Berln" is not a time zone (use an IANA name such as Europe/Berlin)"#])
    }

    @Test func overlappingPrefixesInOneStoreAreAnError() {
        let yaml = """
        datasets:
          files:
            source: directory
            tier: Standard
            schedule: "0 2 * * *"
            path: /srv
            prefix: data/
          more_files:
            source: directory
            tier: Standard
            schedule: "0 3 * * *"
            path: /srv2
            prefix: data/more/
        """
        #expect(errors(yaml) == [#"datasets.more_files.prefix: "data/more/" overlaps "data/" of dataset files in store local"#])
    }

    @Test func misspeltRecoveryStepGetsASuggestion() {
        let yaml = "recovery_steps:\n  - name: data_restore\n    timeout: 30m\n"
        #expect(errors(yaml) == [#"recovery_steps[0].name: line 2: "data_restore" is not a recovery step; did you mean "data_restoration"?"#])
    }

    @Test func rtoTargetKeysAreTheThreeServiceClasses() {
        let yaml = "rto_targets:\n  critcal_services:\n    target_minutes: 15\n    acceptable_minutes: 30\n"
        #expect(errors(yaml) == [#"rto_targets.critcal_services: line 2: unknown key "critcal_services"; did you mean "critical_services"?"#])
    }

    @Test func secretsNeverReachDumpOrMirror() {
        var dumped = ""
        dump(Secret("hunter2"), to: &dumped)
        #expect(!dumped.contains("hunter2"))
    }
}

