import CLinuxSystem

/// The epoll readiness bits a handler registers for and receives.
public struct Readiness: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Data (or a pending connection) can be read.
    public static let readable = Readiness(rawValue: EPOLLIN.rawValue)
    /// The send buffer has room.
    public static let writable = Readiness(rawValue: EPOLLOUT.rawValue)
    /// The peer shut down its writing side.
    public static let peerClosed = Readiness(rawValue: EPOLLRDHUP.rawValue)
    /// The socket reported an error or a hang-up.
    public static let failed = Readiness(rawValue: EPOLLERR.rawValue | EPOLLHUP.rawValue)
    /// Report each change once (edge-triggered); the handler drains until `.wouldBlock`.
    public static let edgeTriggered = Readiness(rawValue: EPOLLET.rawValue)
    /// Wake only one of the loops waiting on a shared descriptor (a shared listener).
    public static let exclusive = Readiness(rawValue: EPOLLEXCLUSIVE.rawValue)
}

/// Something the event loop calls back: a connection or a listener.
///
/// Every call happens on the loop thread that registered the handler.
public protocol EventHandler: AnyObject {
    /// The descriptor became ready in the ways `readiness` says.
    func handleReadiness(_ readiness: Readiness)
    /// The deadline set with `EventLoop.setDeadline(_:for:)` has passed.
    func handleDeadline()
}
