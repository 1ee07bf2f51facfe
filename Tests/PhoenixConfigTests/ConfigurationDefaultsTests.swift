import PhoenixConfig
import PhoenixDomain
import Testing

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

    @Test func aPostgresCatalogTakesItsSchemaLeaseAndHeartbeatTimeout() throws {
        let yaml = """
        catalog:
          kind: postgres
          url: postgresql://phoenix@db/phoenix
          schema: phoenix_eu
          lease_duration: 20s
          heartbeat_timeout: 2m
          event_retention: 30d
        """
        let catalog = try ConfigurationLoader.load(yaml: yaml).configuration.catalog
        #expect(catalog.schema == "phoenix_eu")
        #expect(catalog.leaseDuration == .seconds(20))
        #expect(catalog.heartbeatTimeout == .seconds(120))
        #expect(catalog.eventRetention == .seconds(30 * 86_400))
        let defaults = try ConfigurationLoader.load(yaml: "catalog:\n  kind: postgres\n  url: postgresql://db/p\n").configuration.catalog
        #expect(defaults.schema == "phoenix")
        #expect(defaults.leaseDuration == .seconds(15))
        #expect(defaults.heartbeatTimeout == .seconds(60))
        #expect(defaults.eventRetention == .seconds(90 * 86_400))
        let tooShort = errors("catalog:\n  kind: sqlite\n  event_retention: 10m\n")
        #expect(tooShort.count == 1 && tooShort.first?.hasPrefix("catalog.event_retention: line 3:") == true, "\(tooShort)")
    }
}
