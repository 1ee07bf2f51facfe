import FoundationEssentials

/// The active region as this instance last saw it (DESIGN.md §1.7): the DNS provider holds the
/// truth; the catalog keeps the last marker read so `/health` can answer from it.
public struct ActiveRegionMarker: Sendable, Equatable {
    /// The region that serves traffic.
    public var region: String
    /// The fencing epoch of the marker: grows with every failover, switchover and failback.
    public var epoch: Int64
    /// When this instance read or wrote it, on its wall clock.
    public var updatedAt: Date
    /// Where it came from, e.g. `route53:TXT _phoenix.example.com` or `failover job <id>`.
    public var source: String

    public init(region: String, epoch: Int64, updatedAt: Date, source: String) {
        self.region = region
        self.epoch = epoch
        self.updatedAt = updatedAt
        self.source = source
    }
}

/// The catalog's cache of the active-region marker, guarded so that a stale writer (one that
/// read an older marker) can never move it back to an older epoch.
public protocol ActiveRegionCache: Sendable {
    /// The cached marker, nil until one was stored.
    func activeRegion() async throws -> ActiveRegionMarker?

    /// Compare-and-set on the epoch: stores `marker` when the cache is empty, when its epoch is
    /// newer than the cached one, or when it names the same region at the same epoch (a refresh
    /// of `updatedAt` and `source`). Otherwise keeps the cached marker. Returns the marker cached
    /// afterwards, so the caller sees whether it won.
    func storeActiveRegion(_ marker: ActiveRegionMarker) async throws -> ActiveRegionMarker
}
