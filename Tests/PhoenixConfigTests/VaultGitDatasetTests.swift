import Foundation
import PhoenixConfig
import PhoenixDomain
import Testing

/// The seed's `backup.vault` and `backup.git` blocks as datasets (DESIGN.md §5).
@Suite struct VaultGitDatasetTests {
    @Test func theSeedsVaultBlockIsAnHourlyCriticalDatasetWithItsRetention() throws {
        let configuration = try SeedConfigurationTests.loaded().configuration
        let vault = try #require(configuration.dataset(named: "vault"))
        #expect(vault.source == .vault)
        #expect(vault.tier == .critical)
        #expect(vault.schedule == "0 */1 * * *")
        #expect(vault.retention == RetentionRules(keepLast: 24, keepDaily: 7, keepWeekly: 4))
        #expect(vault.prefix == "vault/")
        #expect(configuration.backup.vault?.backupPath == "/vault/backup", "the staging folder the source is given")
    }

    @Test func eachSeedRepositoryIsAGitDatasetNamingIt() throws {
        let configuration = try SeedConfigurationTests.loaded().configuration
        let git = try #require(configuration.dataset(named: "git-phoenix-orchestrator"))
        #expect(git.source == .git)
        #expect(git.repository == "phoenix-orchestrator")
        #expect(git.schedule == "0 */6 * * *")
        #expect(git.prefix == "git-phoenix-orchestrator/")
    }

    @Test func ourGitCredentialKeysLoadAndTheTokenIsASecret() throws {
        let yaml = """
        backup:
          git:
            repositories:
              - name: app
                url: https://github.com/company/app.git
                backup_schedule: "0 */6 * * *"
                token: ${GIT_TOKEN}
              - name: infra
                url: git@github.com:company/infra.git
                backup_schedule: "0 */6 * * *"
                ssh_key_file: /etc/phoenix-dr/git_ed25519
                known_hosts_file: /etc/phoenix-dr/known_hosts
        """
        let loaded = try ConfigurationLoader.load(yaml: yaml, environment: ["GIT_TOKEN": "ghp_secret_value"])
        let repositories = try #require(loaded.configuration.backup.git?.repositories)
        #expect(repositories.first?.token?.value == "ghp_secret_value")
        #expect(repositories.last?.sshKeyFile == "/etc/phoenix-dr/git_ed25519")
        #expect(repositories.last?.knownHostsFile == "/etc/phoenix-dr/known_hosts")
        #expect(loaded.configuration.datasets.map(\.name) == ["git-app", "git-infra"])
        #expect(!ConfigurationPrinter.yaml(loaded.configuration).contains("ghp_secret_value"))
    }

    @Test func aVaultDatasetWithoutThePrimarysVaultIsAWarning() throws {
        let yaml = """
        regions:
          east: {role: primary, redis: {address: "10.0.0.1:6379"}}
        backup:
          vault: {backup_path: /vault/backup, schedule: "0 * * * *"}
        """
        let warnings = try ConfigurationLoader.load(yaml: yaml).warnings.map(\.description)
        #expect(warnings.contains("datasets.vault: a vault dataset needs regions.<primary>.vault.address and .token before it can be backed up"))
        let complete = yaml.replacingOccurrences(of: "redis: {address: \"10.0.0.1:6379\"}", with: "vault: {address: \"https://v:8200\", token: t}")
        #expect(!(try ConfigurationLoader.load(yaml: complete).warnings.contains { $0.description.contains("vault dataset needs") }))
    }
}
