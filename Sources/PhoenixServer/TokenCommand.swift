import ArgumentParser
import PhoenixAPI
import PhoenixDomain

/// `phoenix-dr token create --role R --name N`: prints a new token and the config entry for it.
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Make API tokens.",
        subcommands: [Create.self]
    )

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a new token once, and the hash to put under auth.tokens.")

        @Option(help: "viewer, operator or admin.")
        var role: String

        @Option(help: "A name for the token, shown in logs and job triggers.")
        var name: String = "api"

        func run() throws {
            guard let role = TokenSpec.Role(rawValue: role) else {
                throw ValidationError("--role must be viewer, operator or admin")
            }
            let made = try APIToken.make()
            print("token: \(made.token)")
            print("")
            print("# Add to the configuration (the token itself is not stored anywhere):")
            print("auth:")
            print("  tokens:")
            print("    - name: \(name)")
            print("      role: \(role.rawValue)")
            print("      sha256: \(made.sha256)")
        }
    }
}
