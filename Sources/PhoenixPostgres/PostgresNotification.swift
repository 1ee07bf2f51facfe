/// One `NOTIFY` delivered to a connection that ran `LISTEN` on its channel.
public struct PostgresNotification: Sendable, Hashable {
    /// The channel name, as given to `NOTIFY` / `pg_notify`.
    public let channel: String
    /// The payload string; empty when `NOTIFY` gave none.
    public let payload: String
    /// The server process that sent it (compare with `PostgresConnection.backendPID` to skip your own).
    public let backendPID: Int32

    /// Creates a notification value.
    public init(channel: String, payload: String, backendPID: Int32) {
        self.channel = channel
        self.payload = payload
        self.backendPID = backendPID
    }
}
