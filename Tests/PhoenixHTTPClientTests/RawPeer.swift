import Dispatch
import Glibc
import Synchronization

/// A TCP listener on 127.0.0.1 port 0 that plays a misbehaving server, one connection at a
/// time, on a thread of its own (its I/O blocks, so never on the cooperative pool).
final class RawPeer: Sendable {
    enum Behavior: Sendable {
        /// Read the first bytes, answer with something that is not HTTP, close.
        case garbage
        /// Read the request and never answer; the connection stays open until `stop()`.
        case silent
        /// Send `head`, then `body` bytes, then close (with less than `head` promised).
        case closeAfter(head: String, body: Int)
        /// Send `head`, then `body` bytes, then hold the connection open without a byte more.
        case stallAfter(head: String, body: Int)
        /// Send a chunked head, then 64 KiB chunks until the client goes away.
        case endlessChunks
    }

    let port: UInt16
    private let listener: Int32
    private let isStopped = Atomic<Bool>(false)
    private let accepted = Atomic<Int>(0)
    private let done = DispatchSemaphore(value: 0)

    init(_ behavior: Behavior) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw PeerError.failed("socket") }
        self.listener = listener
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(listener, pointer, length) == 0 && listen(listener, 16) == 0 && getsockname(listener, pointer, &length) == 0
            }
        }
        guard bound else {
            close(listener)
            throw PeerError.failed("bind")
        }
        port = UInt16(bigEndian: address.sin_port)
        DispatchQueue(label: "raw-peer").async { [self] in
            serve(behavior)
            done.signal()
        }
    }

    /// Connections accepted so far.
    var acceptedCount: Int { accepted.load(ordering: .relaxed) }

    /// Stops accepting, closes every connection, and waits for the thread to end.
    func stop() {
        isStopped.store(true, ordering: .relaxed)
        done.wait()
        close(listener)
    }

    private func serve(_ behavior: Behavior) {
        var held: [Int32] = []
        defer { held.forEach { close($0) } }
        while let fd = acceptNext() {
            accepted.add(1, ordering: .relaxed)
            _ = readSome(fd)
            switch behavior {
            case .garbage:
                send(fd, Array("SSH-2.0-definitely-not-http\r\n\r\n".utf8))
                finish(fd)
            case .silent:
                held.append(fd)
            case .closeAfter(let head, let body):
                send(fd, Array(head.utf8) + [UInt8](repeating: 0x61, count: body))
                finish(fd)
            case .stallAfter(let head, let body):
                send(fd, Array(head.utf8) + [UInt8](repeating: 0x61, count: body))
                held.append(fd)
            case .endlessChunks:
                let chunk = Array("10000\r\n".utf8) + [UInt8](repeating: 0x62, count: 65_536) + Array("\r\n".utf8)
                send(fd, Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".utf8))
                while !isStopped.load(ordering: .relaxed), send(fd, chunk) {}
                finish(fd)
            }
        }
    }

    /// Waits for a connection in 20 ms polls, so `stop()` is noticed; nil once stopped.
    private func acceptNext() -> Int32? {
        while !isStopped.load(ordering: .relaxed) {
            var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 20) > 0 else { continue }
            let fd = accept(listener, nil, nil)
            guard fd >= 0 else { continue }
            // Bounded sends, so a client that stopped reading cannot wedge `stop()`.
            var timeout = timeval(tv_sec: 2, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            return fd
        }
        return nil
    }

    private func readSome(_ fd: Int32) -> Int {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, 2000) > 0 else { return 0 }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        return buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
    }

    @discardableResult
    private func send(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    /// FIN rather than RST: the client must see an orderly close, not a reset.
    private func finish(_ fd: Int32) {
        shutdown(fd, Int32(SHUT_WR))
        _ = readSome(fd)
        close(fd)
    }

    enum PeerError: Error { case failed(String) }
}
