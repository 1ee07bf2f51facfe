import ArgumentParser

/// `phoenix-dr`: the disaster-recovery control plane's one binary.
@main
struct PhoenixCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "phoenix-dr",
        abstract: "Disaster-recovery control plane: backups, verification, recovery and DNS failover.",
        version: PhoenixVersion.current,
        subcommands: [ServeCommand.self, ConfigCommand.self, TokenCommand.self, ArtifactCommand.self, BackupCommand.self]
    )
}

/// The version this binary reports on `--version`, in `/health` and in logs.
enum PhoenixVersion {
    static let current = "0.1.0"
}
