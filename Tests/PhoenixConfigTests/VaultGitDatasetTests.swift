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
}
