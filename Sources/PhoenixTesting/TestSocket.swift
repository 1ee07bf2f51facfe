import Dispatch
import Glibc
import PhoenixSockets

/// A TCP client with a receive timeout, for sending raw bytes to a live server.
///
/// Reads block, so they run on the socket's own serial queue (a thread of its own), never on the
/// cooperative pool that the server's shutdown and the other tests need.
public final class TestSocket: @unchecked Sendable {
    // Safety: `pending` is touched only inside `queue`; `fd` is immutable.
    private let fd: Int32
    private var pending: [UInt8] = []
    private let queue = DispatchQueue(label: "test-socket")

    /// Connects to 127.0.0.1:`port` (or the given IPv6/IPv4 literal).
    public init(host: String = "127.0.0.1", port: UInt16, receiveTimeout: Duration = .seconds(5)) throws {
        let isIPv6 = host.contains(":")
        fd = socket(isIPv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SocketError.syscall("socket", errno: errno) }
        setReceiveTimeout(receiveTimeout)
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        let result: Int32
        if isIPv6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = port.bigEndian
            inet_pton(AF_INET6, host, &address.sin6_addr)
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            inet_pton(AF_INET, host, &address.sin_addr)
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        guard result == 0 else {
            let code = errno
            close(fd)
            throw SocketError.syscall("connect", errno: code)
        }
    }

    deinit {
        close(fd)
    }

    /// Changes how long a read waits before it reports a timeout.
    public func setReceiveTimeout(_ timeout: Duration) {
        let (seconds, attoseconds) = timeout.components
        var value = timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Sends all of `bytes`.
    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw SocketError.syscall("send", errno: errno) }
            offset += count
        }
    }

    /// Sends a string as UTF-8.
    public func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    /// Sends on a thread of its own, for writes that may block until the server reads while
    /// the test reads responses at the same time.
    public func sendInBackground(_ text: String) async throws {
        let bytes = Array(text.utf8)
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            DispatchQueue(label: "test-socket-send").async {
                continuation.resume(with: Result { try self.send(bytes) })
            }
        }
    }

    /// Half-closes the connection (sends FIN).
    public func shutdownWrite() {
        shutdown(fd, Int32(SHUT_WR))
    }

    /// What a read ended with.
    public enum ReadEnd: Equatable, Sendable {
        case data
        case closed
        case timedOut
    }

    /// Reads whatever arrives next into the pending buffer.
    @discardableResult
    func fill() -> ReadEnd {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count > 0 {
            pending.append(contentsOf: chunk[0..<count])
            return .data
        }
        if count == 0 || errno == ECONNRESET { return .closed }
        return .timedOut
    }

    /// Reads one response (Content-Length framed, or to the end of the stream); nil if the
    /// connection closed or timed out before a complete one arrived.
    public func readResponse(isHead: Bool = false) async -> TestResponse? {
        await onQueue { self.readResponseBlocking(isHead: isHead) }
    }

    private func readResponseBlocking(isHead: Bool) -> TestResponse? {
        while true {
            if let (response, used) = TestResponse.parse(pending, isHead: isHead) {
                pending.removeFirst(used)
                return response
            }
            if fill() != .data {
                return TestResponse.parseToEnd(pending)
            }
        }
    }

    /// Waits until the server closes the connection; returns how the wait ended.
    public func waitForClose() async -> ReadEnd {
        await onQueue { self.waitForCloseBlocking() }
    }

    private func onQueue<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: body()) }
        }
    }

    /// Reads until the server closes (or the read times out) and returns every byte that came.
    public func readUntilClose() async -> (bytes: [UInt8], end: ReadEnd) {
        await onQueue {
            while true {
                let end = self.fill()
                if end != .data {
                    let bytes = self.pending
                    self.pending.removeAll()
                    return (bytes, end)
                }
            }
        }
    }

    private func waitForCloseBlocking() -> ReadEnd {
        while true {
            pending.removeAll()
            let end = fill()
            if end != .data { return end }
        }
    }
}
