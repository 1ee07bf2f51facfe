import FoundationEssentials
import PhoenixDomain

/// What the `/v1` routes work with; the executable wires in the real adapters.
public struct APIServices: Sendable {
    public var configuration: PhoenixConfiguration
    public var catalog: any JobCatalog
    /// The wall clock.
    public var now: @Sendable () -> Date

    public init(configuration: PhoenixConfiguration, catalog: any JobCatalog, now: @escaping @Sendable () -> Date) {
        self.configuration = configuration
        self.catalog = catalog
        self.now = now
    }
}
