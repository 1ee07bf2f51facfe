import PhoenixConfig

/// Loads `yaml` expecting failure; returns the error lines as `config validate` prints them.
func errors(_ yaml: String, environment: [String: String] = [:]) -> [String] {
    do {
        _ = try ConfigurationLoader.load(yaml: yaml, environment: environment)
        return []
    } catch {
        return error.errors.map(\.description)
    }
}
