/// A snapshot of a client's counters.
public struct HTTPClientStatistics: Sendable, Equatable {
    /// Requests whose easy handle is attached to the multi handle now.
    public var activeTransfers: Int
    /// Connections opened since the client started; fewer than requests means reuse.
    public var connectionsOpened: Int

    /// Creates a snapshot.
    public init(activeTransfers: Int, connectionsOpened: Int) {
        self.activeTransfers = activeTransfers
        self.connectionsOpened = connectionsOpened
    }
}
