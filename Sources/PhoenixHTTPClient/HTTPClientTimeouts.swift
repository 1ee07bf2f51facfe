/// How long a request may take, per phase; every value may be below a second.
public struct HTTPClientTimeouts: Sendable, Equatable {
    /// A transfer that moves fewer than `bytesPerSecond` bytes in each `window` is stalled.
    ///
    /// curl's own CURLOPT_LOW_SPEED_TIME counts whole seconds, so the client measures this itself
    /// on its loop thread (`StallWatch`). Time spent paused for our side (a slow consumer, an
    /// upload producer with nothing yet) does not count: the peer is not the one stalling.
    public struct StallLimit: Sendable, Equatable {
        /// The least progress, in bytes per second, averaged over `window`.
        public var bytesPerSecond: Int
        /// How long the transfer may stay below `bytesPerSecond`.
        public var window: Duration

        /// Creates a stall limit.
        public init(bytesPerSecond: Int, window: Duration) {
            self.bytesPerSecond = bytesPerSecond
            self.window = window
        }
    }

    /// From the start of the request until the TCP (and TLS) connection is up.
    public var connect: Duration
    /// The whole transfer, head and body; nil for none (long streams rely on `stall`).
    public var total: Duration?
    /// Stall detection; nil for none (a long poll, or an event stream without heartbeats).
    public var stall: StallLimit?

    /// Creates timeouts; the defaults suit control-plane calls (10 s connect, no total limit,
    /// stalled after 30 s below 1 byte/s).
    public init(
        connect: Duration = .seconds(10),
        total: Duration? = nil,
        stall: StallLimit? = StallLimit(bytesPerSecond: 1, window: .seconds(30))
    ) {
        self.connect = connect
        self.total = total
        self.stall = stall
    }
}

extension Duration {
    /// Whole milliseconds, at least 1 for any positive duration (curl reads 0 as "no limit").
    var curlMilliseconds: Int {
        let (seconds, attoseconds) = components
        let milliseconds = Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
        return self > .zero ? max(1, milliseconds) : 0
    }
}
