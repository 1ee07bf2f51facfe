import PhoenixConfig
import PhoenixDomain

/// Loads a configuration for a test.
enum ConfigurationFixture {
    static func load(_ yaml: String) throws -> PhoenixConfiguration {
        try ConfigurationLoader.load(yaml: yaml).configuration
    }
}
