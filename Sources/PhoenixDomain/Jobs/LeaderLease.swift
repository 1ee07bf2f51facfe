import FoundationEssentials

/// Who holds a lease, until when, and its fencing epoch.
public struct LeaseGrant: Sendable, Equatable {
    /// The instance holding the lease.
    public var holder: String
    /// Grows by one each time the lease changes hands: a fencing token for work done as leader.
    public var epoch: Int64
    /// When the lease lapses unless renewed, on the catalog's clock.
    public var expiresAt: Date
    /// When the holder last took or renewed it, on the catalog's clock (nil for a lease written
    /// by an older version).
    public var renewedAt: Date?
    /// When the holder took it, on the catalog's clock.
    public var acquiredAt: Date?
    /// The catalog's clock when this answer was given: `expiresAt - checkedAt` is how long the
    /// lease still runs, whatever the local clock says.
    public var checkedAt: Date?
    /// Set only on the answer that moved the lease to a new holder: who had it before.
    public var previous: LeaseHandover?

    public init(holder: String, epoch: Int64, expiresAt: Date, renewedAt: Date? = nil, acquiredAt: Date? = nil,
                checkedAt: Date? = nil, previous: LeaseHandover? = nil) {
        self.holder = holder
        self.epoch = epoch
        self.expiresAt = expiresAt
        self.renewedAt = renewedAt
        self.acquiredAt = acquiredAt
        self.checkedAt = checkedAt
        self.previous = previous
    }
}

/// The holder a lease was taken from, and when it last renewed it (catalog clock): with the new
/// holder's `acquiredAt`, how long the lease stood unattended.
public struct LeaseHandover: Sendable, Equatable {
    public var holder: String
    public var epoch: Int64
    public var renewedAt: Date?

    public init(holder: String, epoch: Int64, renewedAt: Date?) {
        self.holder = holder
        self.epoch = epoch
        self.renewedAt = renewedAt
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
