import PhoenixSockets

/// Addresses tests listen on.
public enum SocketAddressFixture {
    /// `[::1]:0`.
    public static func ipv6Loopback() throws -> SocketAddress {
        try SocketAddress(host: "::1", port: 0)
    }
}
