/// The HTTP/2 limits a server advertises and enforces, on top of the `HTTPLimits` (header and
/// body sizes) and timeouts that both protocols share.
public struct HTTP2Settings: Sendable, Equatable {
    /// SETTINGS_MAX_CONCURRENT_STREAMS: nghttp2 refuses streams beyond it with
    /// RST_STREAM(REFUSED_STREAM).
    public var maxConcurrentStreams: UInt32 = 100
    /// SETTINGS_INITIAL_WINDOW_SIZE: request body a stream may send before the server consumes it.
    public var initialWindowSize: UInt32 = 256 * 1024
    /// The connection-level receive window (RFC 9113 §6.9.2).
    public var connectionWindowSize: UInt32 = 1024 * 1024
    /// Request bodies buffered at once across one connection's streams (each is also bounded by
    /// `HTTPLimits.maxBodyBytes`); a stream that would pass it is refused (REFUSED_STREAM), so
    /// 100 streams cannot hold 100 bodies of the per-request limit.
    public var maxBufferedBodyBytes = 8 * 1024 * 1024
    /// Rapid reset (CVE-2023-44487): RST_STREAM frames a client may send in a burst, refilled at
    /// `resetsPerSecond`; past that the connection ends with GOAWAY(ENHANCE_YOUR_CALM).
    public var resetBurst = 200
    /// How fast the rapid-reset allowance refills.
    public var resetsPerSecond = 33
    /// SETTINGS and PING acknowledgements nghttp2 may hold unsent before it calls the peer a
    /// flood (nghttp2_option_set_max_outbound_ack).
    public var maxOutboundAcks = 1000
    /// Entries allowed in one SETTINGS frame (nghttp2_option_set_max_settings).
    public var maxSettingsEntries = 32
    /// CONTINUATION frames allowed after one HEADERS (nghttp2_option_set_max_continuations,
    /// CVE-2024-28182): a real client needs about one per 16 KiB of header block.
    public var maxContinuations = 8
    /// The HPACK dynamic table our encoder uses for response heads (RFC 7541 §4.2); 0 sends
    /// fields as literals with static-table names, which costs a few bytes and saves CPU.
    public var maxEncoderTableBytes = 0
    /// A streamed response body waits for the client once this many of its bytes are queued.
    public var streamHighWater = 256 * 1024

    /// The defaults: 100 streams, 256 KiB stream and 1 MiB connection windows.
    public init() {}
}
