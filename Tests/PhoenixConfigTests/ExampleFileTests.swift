import Foundation
import PhoenixConfig
import PhoenixDomain
import Testing

/// `Deploy/phoenix-dr.example.yaml` documents every key; it must stay a valid file.
@Suite struct ExampleFileTests {
    static let environment = [
        "REDIS_PASSWORD": "r", "PG_PASSWORD": "p", "VAULT_TOKEN": "v", "GITHUB_WEBHOOK_SECRET": "g", "OUTGOING_WEBHOOK_SECRET": "o",
    ]

    static func text() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try String(contentsOf: root.appendingPathComponent("Deploy/phoenix-dr.example.yaml"), encoding: .utf8)
    }

    @Test func exampleFileIsValidAndUsesEverySection() throws {
        let loaded = try ConfigurationLoader.load(yaml: try Self.text(), environment: Self.environment)
        let configuration = loaded.configuration
        #expect(configuration.regions.map(\.name).sorted() == ["dr", "production"])
        #expect(configuration.stores.map(\.name) == ["offsite", "local"])
        #expect(configuration.tokens?.first?.role == .operator)
        #expect(configuration.incomingWebhooks.first?.authentication == .github)
        #expect(configuration.outgoingWebhooks.first?.events == ["backup.failed", "failover.started", "failover.finished"])
        #expect(configuration.dataset(named: "metrics")?.path == "/var/lib/prometheus/snapshots")
        #expect(configuration.datasets.count == 5)
    }

    @Test func exampleFileNeedsItsEnvironmentVariables() throws {
        let text = try Self.text()
        do {
            _ = try ConfigurationLoader.load(yaml: text, environment: [:])
            Issue.record("loaded without its secrets")
        } catch {
            #expect(error.errors.contains { $0.message == "environment variable VAULT_TOKEN is not set" })
        }
    }

    @Test func showRedactsEverySecretOfTheExample() throws {
        let secrets = ["REDIS_PASSWORD": "secret-redis-1", "PG_PASSWORD": "secret-pg-2", "VAULT_TOKEN": "secret-vault-3",
                       "GITHUB_WEBHOOK_SECRET": "secret-gh-4", "OUTGOING_WEBHOOK_SECRET": "secret-out-5"]
        let loaded = try ConfigurationLoader.load(yaml: try Self.text(), environment: secrets)
        let shown = ConfigurationPrinter.yaml(loaded.configuration)
        for value in secrets.values { #expect(!shown.contains(value), "\(value) leaked") }
        #expect(shown.contains("bucket: phoenix-orch-backups"))
        #expect(shown.contains("failure_threshold: '3'") || shown.contains("failure_threshold: 3"))
        #expect(shown.contains("password: '***'") || shown.contains("password: \"***\""))
    }

    @Test func exampleFileWarningsAreTheSeedsKnownContradictions() throws {
        let loaded = try ConfigurationLoader.load(yaml: try Self.text(), environment: Self.environment)
        #expect(loaded.warnings.map(\.path).sorted() == ["backup.redis.retention.keep_monthly", "backup.redis.retention.keep_weekly"])
    }
}

