import PhoenixConfig
import PhoenixDomain
import Testing

@Suite struct ConfigurationEdgeCaseTests {
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
