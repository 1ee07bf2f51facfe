import Dispatch
import Glibc
import PhoenixSockets
import Synchronization

/// A TCP proxy on 127.0.0.1 that sits between an HTTP client and an upstream server and breaks
/// the requests a test picks: it answers them itself, or resets the connection before or in the
/// middle of the response.
///
/// It exists so the S3 store's retry and error paths run against a real moto server, whose own
/// answers are always well-formed. It parses only the first request head of each connection:
/// moto (werkzeug) closes after every response, and a test that goes through our own server sends
/// `Connection: close` so that server does too. Its I/O blocks, so every connection runs on a
/// thread of its own, never on the cooperative pool.
///
/// ```swift
/// let proxy = try FaultProxy(upstreamPort: motoPort)
/// defer { proxy.stop() }
/// proxy.inject(.respond(status: 503, body: "<Error><Code>SlowDown</Code></Error>")) { $0.method == "PUT" }
/// // Point the store at http://127.0.0.1:\(proxy.port) instead of moto.
/// ```
public final class FaultProxy: Sendable {
    /// What the proxy does to one request that a rule matches.
    public enum Fault: Sendable {
        /// Reads the whole request (head and Content-Length body), answers this status and body
        /// itself with `Connection: close`, never reaching upstream.
        case respond(status: Int, body: String, headers: [String: String] = [:])
        /// Reads the request head and then resets the connection (RST, via SO_LINGER 0) without
        /// answering.
        case resetBeforeResponse
        /// Forwards the request; relays the first `afterBytes` bytes of upstream's response (head
        /// included) to the client, then resets the client connection (RST).
        case resetResponse(afterBytes: Int)
    }

    /// One request seen: method, request target, and whether a fault was applied.
    public struct SeenRequest: Sendable, Equatable {
        /// The method, as sent (`GET`, `PUT`).
        public let method: String
        /// The request target, as sent (`/bucket/key?partNumber=1`).
        public let target: String
        /// Whether a rule matched and its fault was applied.
        public let faulted: Bool

        /// Creates a record, for comparing with `FaultProxy.requests`.
        public init(method: String, target: String, faulted: Bool) {
            self.method = method
            self.target = target
            self.faulted = faulted
        }
    }

    /// A fault with the uses it has left and the requests it applies to.
    struct Rule: Sendable {
        let fault: Fault
        var remaining: Int
        let when: @Sendable (SeenRequest) -> Bool
    }

    struct State {
        var rules: [Rule] = []
        var requests: [SeenRequest] = []
        /// Every open socket (client and upstream side), so `stop()` can wake their threads.
        var sockets: Set<Int32> = []
        var isStopped = false
    }

    /// The port the kernel chose for the proxy.
    public let port: Int
    let upstreamPort: Int
    private let listener: Int32
    let state = Mutex(State())
    private let acceptEnded = DispatchSemaphore(value: 0)
    private let connectionsEnded = DispatchGroup()

    /// Starts listening on 127.0.0.1 on an ephemeral port; call `stop()` when done (until then the
    /// accept thread keeps the proxy alive).
    /// - Parameter upstreamPort: The port of the server on 127.0.0.1 that requests go to.
    /// - Throws: `SocketError` when the listening socket cannot be made.
    public init(upstreamPort: Int) throws {
        (listener, port) = try Self.listenOnLoopback()
        self.upstreamPort = upstreamPort
        DispatchQueue(label: "fault-proxy-accept").async { [self] in
            acceptConnections()
            acceptEnded.signal()
        }
    }

    /// Applies `fault` to the next `times` requests for which `when` is true (checked in arrival
    /// order). Rules are consumed first-in first-out.
    ///
    /// `when` runs under the proxy's lock, so it must not call back into the proxy.
    public func inject(_ fault: Fault, times: Int = 1, when: @escaping @Sendable (SeenRequest) -> Bool = { _ in true }) {
        guard times > 0 else { return }
        state.withLock { $0.rules.append(Rule(fault: fault, remaining: times, when: when)) }
    }

    /// Every request seen so far, in order.
    public var requests: [SeenRequest] {
        state.withLock { $0.requests }
    }

    /// Stops listening and closes every connection; waits for their threads to end. A second
    /// call does nothing.
    public func stop() {
        let isFirstCall = state.withLock { state in
            guard !state.isStopped else { return false }
            state.isStopped = true
            // Under the lock: a thread removes its socket here before closing it, so the number
            // cannot have been reused by then.
            for fd in state.sockets { shutdown(fd, Int32(SHUT_RDWR)) }
            return true
        }
        guard isFirstCall else { return }
        // On Linux, shutdown(2) on a listening socket makes a blocked accept(2) fail with EINVAL;
        // close(2) alone would leave it blocked.
        shutdown(listener, Int32(SHUT_RDWR))
        acceptEnded.wait()
        connectionsEnded.wait()
        close(listener)
    }

    // MARK: - Shared state

    /// Finds the first rule that `method` and `target` match, spends one use of it, and records
    /// the request.
    func match(method: String, target: String) -> Fault? {
        state.withLock { state in
            let seen = SeenRequest(method: method, target: target, faulted: false)
            var fault: Fault?
            if let index = state.rules.firstIndex(where: { $0.when(seen) }) {
                fault = state.rules[index].fault
                state.rules[index].remaining -= 1
                if state.rules[index].remaining == 0 { state.rules.remove(at: index) }
            }
            state.requests.append(SeenRequest(method: method, target: target, faulted: fault != nil))
            return fault
        }
    }

    /// Registers a socket so `stop()` can wake its thread; false once stopping, and then the
    /// caller closes it.
    func track(_ fd: Int32) -> Bool {
        state.withLock { state in
            guard !state.isStopped else { return false }
            state.sockets.insert(fd)
            return true
        }
    }

    /// Forgets a socket and closes it; with `reset`, the peer gets an RST instead of a FIN.
    func release(_ fd: Int32, reset: Bool = false) {
        _ = state.withLock { $0.sockets.remove(fd) }
        if reset {
            // socket(7): SO_LINGER on with a zero timeout makes close(2) abort the connection.
            var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
            setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        }
        close(fd)
    }

    // MARK: - Accepting

    private func acceptConnections() {
        while true {
            let fd = accept(listener, nil, nil)
            guard fd >= 0 else {
                let code = errno
                if state.withLock({ $0.isStopped }) { return }
                if code != EINTR, code != ECONNABORTED { usleep(10_000) }  // e.g. EMFILE: don't spin
                continue
            }
            guard track(fd) else {
                close(fd)
                return
            }
            Self.configure(fd, receiveTimeout: Self.receiveTimeout)
            connectionsEnded.enter()
            DispatchQueue(label: "fault-proxy-connection").async { [self] in
                serve(client: fd)
                connectionsEnded.leave()
            }
        }
    }
}
