import FoundationEssentials

/// Who holds a lease, until when, and its fencing epoch.
public struct LeaseGrant: Sendable, Equatable {
    /// The instance holding the lease.
    public var holder: String
    /// Grows by one each time the lease changes hands: a fencing token for work done as leader.
    public var epoch: Int64
    /// When the lease lapses unless renewed, on the catalog's clock.
    public var expiresAt: Date

    public init(holder: String, epoch: Int64, expiresAt: Date) {
        self.holder = holder
        self.epoch = epoch
        self.expiresAt = expiresAt
    }
}

/// A named, time-limited lease in the catalog, so that of several instances sharing one catalog
/// only one runs the scheduler and the automation (DESIGN.md §1.6).
///
/// Expiry is measured on the catalog's own clock (the database server's), so instances whose
/// clocks disagree still agree on who leads.
public protocol LeaderLease: Sendable {
    /// Takes lease `name` for `holder` when it is free or has lapsed, or extends it when `holder`
    /// already has it, to `duration` from now. Returns the lease as it stands afterwards: its
    /// holder is someone else when the attempt lost.
    func acquireLease(_ name: String, holder: String, duration: Duration) async throws -> LeaseGrant

    /// Gives lease `name` up at once if `holder` has it, so another instance need not wait for it
    /// to lapse (graceful shutdown).
    func releaseLease(_ name: String, holder: String) async throws
}
