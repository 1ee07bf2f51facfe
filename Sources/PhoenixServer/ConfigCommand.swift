import ArgumentParser
import Foundation
import PhoenixConfig
import PhoenixDomain

/// `phoenix-dr config validate|show`: check a configuration file offline.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Validate or show a configuration file.",
        subcommands: [Validate.self, Show.self]
    )

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Report every error (key path and line) and warning; exit 1 on errors.")

        @Argument(help: "The YAML file.")
        var file: String

        func run() throws {
            switch ConfigFile.load(file) {
            case .success(let loaded):
                loaded.warnings.forEach { print("warning: \($0)") }
                print("\(file): valid (\(loaded.configuration.datasets.count) datasets, \(loaded.warnings.count) warnings)")
            case .failure(let failure):
                failure.warnings.forEach { print("warning: \($0)") }
                failure.errors.forEach { print("error: \($0)") }
                throw ExitCode(1)
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the effective configuration, defaults filled in, secrets redacted.")

        @Argument(help: "The YAML file; without one, the embedded defaults.")
        var file: String?

        func run() throws {
            let configuration: PhoenixConfiguration
            if let file {
                switch ConfigFile.load(file) {
                case .success(let loaded): configuration = loaded.configuration
                case .failure(let failure):
                    failure.errors.forEach { print("error: \($0)") }
                    throw ExitCode(1)
                }
            } else {
                configuration = EmbeddedDefaults.configuration
            }
            print(ConfigurationPrinter.yaml(configuration), terminator: "")
        }
    }
}

/// Reads a configuration file with the process environment for `${VAR}` substitution.
enum ConfigFile {
    static func load(_ path: String) -> Result<ConfigurationLoader.Loaded, ConfigurationError> {
        // Check the size before reading: `config validate /dev/zero` must not eat the memory.
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        if let size, size > 1 << 20 {
            return .failure(ConfigurationError(errors: [.init(path: "", line: nil, message: "\(path) is larger than 1 MiB")], warnings: []))
        }
        guard let handle = FileHandle(forReadingAtPath: path),
              let data = try? handle.read(upToCount: (1 << 20) + 1) ?? Data()
        else {
            return .failure(ConfigurationError(errors: [.init(path: "", line: nil, message: "cannot read \(path)")], warnings: []))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return .failure(ConfigurationError(errors: [.init(path: "", line: nil, message: "\(path) is not UTF-8 text")], warnings: []))
        }
        return Result { () throws(ConfigurationError) in
            try ConfigurationLoader.load(yaml: text, environment: ProcessInfo.processInfo.environment)
        }
    }

    /// The configuration at `path`, or the embedded defaults when nil; errors become a usage error.
    static func configuration(at path: String?) throws -> PhoenixConfiguration {
        guard let path else { return EmbeddedDefaults.configuration }
        switch load(path) {
        case .success(let loaded): return loaded.configuration
        case .failure(let failure): throw ValidationError("--config \(path):\n" + failure.errors.map(\.description).joined(separator: "\n"))
        }
    }
}
