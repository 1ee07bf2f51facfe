import PhoenixDomain
import Yams

/// Reads phoenix-dr's YAML configuration: the seed's blocks as written plus our own sections.
///
/// ```swift
/// let loaded = try ConfigurationLoader.load(yaml: text, environment: ProcessInfo.processInfo.environment)
/// for warning in loaded.warnings { print(warning) }
/// ```
public enum ConfigurationLoader {
    /// A loaded configuration and the warnings found on the way.
    public struct Loaded: Sendable {
        public var configuration: PhoenixConfiguration
        public var warnings: [ConfigDiagnostic]
    }

    static let topLevelKeys: Set<String> = [
        "server", "data_tiers", "backup", "rto_targets", "rpo_targets", "dns_failover", "integrity_checks",
        "recovery_steps", "testing_schedule", "regions", "datasets", "stores", "catalog", "auth", "webhooks",
        "encryption",
    ]

    /// The largest file accepted: configuration, not data.
    static let maxBytes = 1 << 20

    /// Parses and validates `yaml`.
    /// - Throws: `ConfigurationError` with every error (key path, line, message).
    public static func load(yaml: String, environment: [String: String] = [:]) throws(ConfigurationError) -> Loaded {
        let log = DiagnosticLog()
        guard yaml.utf8.count <= maxBytes else {
            throw ConfigurationError(errors: [.init(path: "", line: nil, message: "the file is larger than 1 MiB")], warnings: [])
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw ConfigurationError(errors: [syntaxDiagnostic(error)], warnings: [])
        }
        var configuration = PhoenixConfiguration()
        if let root {
            let document = ConfigNode(node: root, path: "", log: log, environment: environment)
            if let fields = document.fields(allowed: topLevelKeys) {
                var reader = SectionReader(configuration: configuration, log: log)
                reader.read(fields)
                configuration = reader.configuration
                if configuration.stores.isEmpty { configuration.stores = EmbeddedDefaults.stores(in: configuration.server.dataDirectory) }
                if fields["catalog"] == nil { configuration.catalog = EmbeddedDefaults.catalog(in: configuration.server.dataDirectory) }
                var resolver = DatasetResolver(configuration: configuration, datasetNodes: fields["datasets"], log: log)
                configuration.datasets = resolver.resolve()
            }
        } else {
            configuration = EmbeddedDefaults.configuration
        }
        guard log.errors.isEmpty else {
            throw ConfigurationError(errors: log.sortedErrors, warnings: log.warnings)
        }
        return Loaded(configuration: configuration, warnings: log.warnings)
    }

    private static func syntaxDiagnostic(_ error: any Error) -> ConfigDiagnostic {
        if let yamlError = error as? YamlError {
            switch yamlError {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
                return ConfigDiagnostic(path: "", line: mark.line, message: "YAML syntax error: \(problem)")
            case .duplicatedKeysInMapping(let duplicates, let context):
                return ConfigDiagnostic(path: "", line: context.mark.line, message: "duplicate keys: \(duplicates.joined(separator: ", "))")
            default:
                break
            }
        }
        return ConfigDiagnostic(path: "", line: nil, message: "YAML syntax error: \(error)")
    }
}
