import PhoenixSockets

/// A connection one loop serves, whatever protocol it speaks: HTTP/1.1 (`HTTPConnection`) or
/// HTTP/2 (PhoenixHTTP2). The loop keeps them in one table for the connection limit, idle
/// eviction and graceful shutdown.
package protocol ServedConnection: EventHandler {
    /// The descriptor the connection is registered under.
    var fd: Int32 { get }
    /// The client's address, when the kernel reported one.
    var peer: SocketAddress? { get }
    /// Who goes first at the connection limit: 0 for an idle connection that has served
    /// requests, 1 for one that has not, nil for a busy one.
    var evictionRank: Int? { get }
    /// When the connection last became idle (`MonotonicClock` nanoseconds).
    var idleSince: UInt64 { get }
    /// Begins serving: arms the first timer and processes any bytes already received.
    func start()
    /// Graceful shutdown: finish what is in flight, accept nothing new, then close.
    func beginShutdown()
    /// Closes now and forgets the connection; later calls do nothing.
    func close()
}

/// How a server speaks HTTP/2. PhoenixHTTP2 makes one (`HTTP2Driver.nghttp2()`); without one
/// (`HTTPServerConfiguration.http2 == nil`) the server speaks HTTP/1.1 only.
///
/// A plain listener hands a connection over when its first bytes are the h2c preface; a TLS
/// listener calls `LoopContext.serveHTTP2(stream:peer:initialBytes:)` once ALPN chose `h2`.
public struct HTTP2Driver: Sendable {
    /// Makes the connection for `stream`, registered with no loop yet; `initialBytes` were read
    /// from it before the protocol was known (the preface included) and are processed first.
    /// Nil when no session could be made (out of memory): the caller closes the stream.
    package let makeConnection: @Sendable (_ stream: any ByteStream, _ peer: SocketAddress?, _ context: LoopContext,
                                           _ initialBytes: [UInt8]) -> (any ServedConnection)?

    /// Creates a driver from its connection factory.
    package init(makeConnection: @escaping @Sendable (any ByteStream, SocketAddress?, LoopContext, [UInt8]) -> (any ServedConnection)?) {
        self.makeConnection = makeConnection
    }
}
