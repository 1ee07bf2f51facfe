import FoundationEssentials
import PhoenixDomain

/// What the `/v1` routes work with; the executable wires in the real adapters.
public struct APIServices: Sendable {
    public var configuration: PhoenixConfiguration
    public var catalog: any Catalog
    /// The wall clock.
    public var now: @Sendable () -> Date
    public var instance: Instance
    /// The stores by configured name, for deleting a backup's objects.
    public var stores: [String: any ArtifactStore]

    /// This process among the instances of its region.
    public struct Instance: Sendable {
        /// The worker id its jobs carry.
        public var id: String
        /// Whether it holds the leader lease now, and the lease's fencing epoch.
        public var leadership: @Sendable () -> (isLeader: Bool, epoch: Int64?)

        public init(id: String, leadership: @escaping @Sendable () -> (isLeader: Bool, epoch: Int64?)) {
            self.id = id
            self.leadership = leadership
        }

        /// The only instance on its catalog: always the leader.
        public static func sole(id: String) -> Instance {
            Instance(id: id, leadership: { (true, nil) })
        }
    }

    /// Signalled after a route queues a job, so this instance's idle workers claim it at once.
    public var wakeup: JobWakeup?

    public init(configuration: PhoenixConfiguration, catalog: any Catalog, now: @escaping @Sendable () -> Date,
                instance: Instance = .sole(id: "local"), stores: [String: any ArtifactStore] = [:], wakeup: JobWakeup? = nil) {
        self.configuration = configuration
        self.catalog = catalog
        self.now = now
        self.instance = instance
        self.stores = stores
        self.wakeup = wakeup
    }
}
