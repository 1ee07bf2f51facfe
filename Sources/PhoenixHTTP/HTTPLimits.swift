/// Size limits on requests; each is configurable, tests use small ones.
public struct HTTPLimits: Sendable, Equatable {
    /// The longest request line, without its CRLF (414 beyond).
    public var maxRequestLineBytes: Int = 8 * 1024
    /// The largest header block after the request line (431 beyond).
    public var maxHeaderBlockBytes: Int = 32 * 1024
    /// The most header fields in one request (431 beyond).
    public var maxHeaderCount: Int = 100
    /// The largest request body (413 beyond).
    public var maxBodyBytes: Int = 1024 * 1024

    /// The defaults of the foundation issue: 8 KiB, 32 KiB, 100 fields, 1 MiB.
    public init() {}
}
