import Foundation
import PhoenixConfig
import PhoenixDomain
import Testing

@Suite struct PostgresDatasetTests {
    @Test func aPostgresDatasetReadsItsURLTablesAndSchemaQuery() throws {
        let yaml = """
        datasets:
          agent_state:
            source: postgres
            url: postgresql://phoenix:${PG_PASSWORD}@db:5432/agents
            state_tables: [agents, public.tasks]
            schema_version_query: SELECT max(version) FROM schema_migrations
            globals: false
            tier: Important
            schedule: "*/30 * * * *"
        """
        let loaded = try ConfigurationLoader.load(yaml: yaml, environment: ["PG_PASSWORD": "s3cret"])
        let dataset = try #require(loaded.configuration.dataset(named: "agent_state"))
        #expect(dataset.url?.value == "postgresql://phoenix:s3cret@db:5432/agents")
        #expect(dataset.stateTables == ["agents", "public.tasks"])
        #expect(dataset.schemaVersionQuery == "SELECT max(version) FROM schema_migrations")
        #expect(dataset.includesGlobals == false)
        let shown = ConfigurationPrinter.yaml(loaded.configuration)
        #expect(shown.contains("state_tables"))
        #expect(!shown.contains("s3cret"), "the URL holds a password: shown as ***")
    }

    @Test func dumpCompressionTakesPgDumpsLevelsAndMethodsAndNothingElse() throws {
        func dataset(_ value: String) -> String {
            "datasets:\n  agent_state: {source: postgres, url: \"postgresql://db/a\", tier: Important, schedule: \"*/30 * * * *\", dump_compression: \(value)}\n"
        }
        let plain = try ConfigurationLoader.load(yaml: "datasets:\n  a: {source: postgres, url: \"postgresql://db/a\", tier: Important, schedule: \"0 * * * *\"}\n")
        #expect(plain.configuration.dataset(named: "a")?.dumpCompression == "1")
        for value in ["0", "9", "zstd", "gzip:5", "\"zstd:level=3,long\""] {
            let loaded = try ConfigurationLoader.load(yaml: dataset(value))
            let expected = value.replacingOccurrences(of: "\"", with: "")
            #expect(loaded.configuration.dataset(named: "agent_state")?.dumpCompression == expected)
            #expect(ConfigurationPrinter.yaml(loaded.configuration).contains(expected), "config show prints the value")
        }
        let none = try ConfigurationLoader.load(yaml: dataset("none"))
        #expect(none.configuration.dataset(named: "agent_state")?.dumpCompression == "0", "pg_dump 15 takes levels only")
        for value in ["10", "-1", "brotli", "\"zstd:\"", "\"--file=/etc/passwd\"", "\"zstd:3 --no-sync\"", "\"gzip:ZZ\""] {
            #expect(errors(dataset(value)).contains { $0.hasPrefix("datasets.agent_state.dump_compression:") && $0.contains("not a pg_dump --compress value") },
                    "\(value)")
        }
        let elsewhere = "datasets:\n  m: {source: directory, path: /m, tier: Standard, schedule: \"0 * * * *\", dump_compression: 1}\n"
        #expect(errors(elsewhere).contains { $0.hasPrefix("datasets.m.dump_compression:") && $0.hasSuffix("applies to postgres datasets only") })
    }

    @Test func postgresKeysOnAnotherSourceAreErrors() {
        let yaml = """
        datasets:
          metrics: {source: directory, path: /m, tier: Standard, schedule: "0 * * * *", state_tables: [x]}
        """
        #expect(errors(yaml).contains { $0.hasPrefix("datasets.metrics.state_tables:") && $0.hasSuffix("applies to postgres datasets only") })
    }

    @Test func aPostgresDatasetWithoutAnyURLIsAWarning() throws {
        let yaml = "datasets:\n  agent_state: {source: postgres, tier: Important, schedule: \"*/30 * * * *\"}\n"
        let loaded = try ConfigurationLoader.load(yaml: yaml)
        #expect(loaded.warnings.map(\.description).contains { $0.contains("needs datasets.agent_state.url or regions.<primary>.postgres.url") })
    }

    @Test func theRestoresSchemaCheckBlocksOnlyWhereTheSeedsVersionCheckSaysBlockOnMismatch() throws {
        let datasets = """
        datasets:
          agent_state: {source: postgres, url: "postgresql://db/a", schema_version_query: SELECT 7, tier: Important, schedule: "*/30 * * * *"}
          other: {source: postgres, url: "postgresql://db/b", tier: Important, schedule: "*/30 * * * *"}
        """
        let checks = """
        integrity_checks:
          agent_state:
            - {type: state_hash, interval: 5m, action: alert_on_mismatch}
            - {type: version_check, interval: 1m, action: block_on_mismatch}
        """
        let blocking = try ConfigurationLoader.load(yaml: datasets + "\n" + checks).configuration
        #expect(blocking.schemaVersionCheck(forDataset: "agent_state") == SchemaVersionCheck(query: "SELECT 7", onMismatch: .block))
        #expect(blocking.schemaVersionCheck(forDataset: "other") == nil, "no query, no check")
        #expect(blocking.schemaVersionCheck(forDataset: "missing") == nil)
        let alerting = try ConfigurationLoader.load(yaml: datasets + "\n" + checks.replacingOccurrences(of: "action: block_on_mismatch", with: "action: alert_on_mismatch")).configuration
        #expect(alerting.schemaVersionCheck(forDataset: "agent_state")?.onMismatch == .warn)
        let unchecked = try ConfigurationLoader.load(yaml: datasets).configuration
        #expect(unchecked.schemaVersionCheck(forDataset: "agent_state")?.onMismatch == .warn)
    }
}
