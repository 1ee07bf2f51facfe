import Glibc
import HTTPTypes

/// One client connection: read the request head, then forward it or apply a fault.
extension FaultProxy {
    /// The parts of a request head the proxy acts on.
    struct RequestHead {
        let method: String
        let target: String
        let contentLength: Int
        /// Bytes up to and including the blank line that ends the head.
        let length: Int
    }

    /// Heads larger than this are dropped (the connection is closed unanswered).
    static let maxHeadBytes = 64 * 1024
    /// How long a read from the client may wait, so a stuck client cannot hold a thread forever.
    static let receiveTimeout = timeval(tv_sec: 5, tv_usec: 0)

    /// Runs on the connection's own thread until the client socket is closed.
    func serve(client: Int32) {
        guard let (head, bytes) = readHead(from: client) else {
            release(client)
            return
        }
        switch match(method: head.method, target: head.target) {
        case nil:
            forward(bytes, from: client, head: head, resetAfter: nil)
        case .respond(let status, let body, let headers):
            answer(client, head: head, alreadyRead: bytes.count, status: status, body: body, headers: headers)
        case .resetBeforeResponse:
            release(client, reset: true)
        case .resetResponse(let afterBytes):
            forward(bytes, from: client, head: head, resetAfter: max(0, afterBytes))
        }
    }

    /// Reads until the head is complete; returns it with every byte read so far (the head and
    /// any body bytes that came with it), or nil if the client closed, stalled or sent too much.
    private func readHead(from client: Int32) -> (RequestHead, [UInt8])? {
        var bytes: [UInt8] = []
        while true {
            if let length = Self.headLength(in: bytes) {
                guard length <= Self.maxHeadBytes, let head = Self.parseHead(bytes[..<length]) else { return nil }
                return (head, bytes)
            }
            guard bytes.count < Self.maxHeadBytes, let chunk = Self.receive(client) else { return nil }
            bytes += chunk
        }
    }

    /// Reads and drops the rest of the body, answers, and closes. The body is read first so the
    /// client is not reset for unread input (RFC 9112 §9.6 on closing with unread data).
    private func answer(_ client: Int32, head: RequestHead, alreadyRead: Int, status: Int, body: String, headers: [String: String]) {
        var remaining = head.contentLength - (alreadyRead - head.length)
        while remaining > 0, let chunk = Self.receive(client, upTo: min(remaining, 65_536)) {
            remaining -= chunk.count
        }
        let reason = HTTPResponse.Status(code: status).reasonPhrase
        var text = "HTTP/1.1 \(status) \(reason)\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { text += "\(name): \(value)\r\n" }
        text += "\r\n" + body
        _ = Self.sendAll(client, Array(text.utf8))
        // FIN, then wait for the client's own close, so our close cannot turn into an RST that
        // discards the answer before the client reads it.
        shutdown(client, Int32(SHUT_WR))
        while Self.receive(client) != nil {}
        release(client)
    }

    /// Sends what was read to upstream and relays both ways until upstream closes; with
    /// `resetAfter`, resets the client once that many response bytes reached it.
    private func forward(_ bytes: [UInt8], from client: Int32, head: RequestHead, resetAfter limit: Int?) {
        guard let upstream = connectUpstream() else {
            answer(client, head: head, alreadyRead: bytes.count, status: 502, body: "fault proxy: upstream unreachable", headers: [:])
            return
        }
        defer { release(upstream) }
        guard Self.sendAll(upstream, bytes) else {
            release(client)
            return
        }
        let hasReachedLimit = relay(between: client, and: upstream, limit: limit)
        if hasReachedLimit { Self.waitUntilSent(client) }
        release(client, reset: hasReachedLimit)
    }

    /// Copies bytes both ways until upstream closes or a side fails; true when it stopped
    /// because `limit` response bytes were relayed.
    ///
    /// A client that closes its sending side has that passed on (a FIN to upstream), and the
    /// answer is still relayed.
    private func relay(between client: Int32, and upstream: Int32, limit: Int?) -> Bool {
        var relayed = 0
        var watched = [pollfd(fd: client, events: Int16(POLLIN), revents: 0), pollfd(fd: upstream, events: Int16(POLLIN), revents: 0)]
        while true {
            if limit == relayed { return true }
            guard poll(&watched, 2, -1) >= 0 else {
                if errno == EINTR { continue }
                return false
            }
            if watched[1].revents != 0 {
                guard var chunk = Self.receive(upstream) else { return false }
                if let limit, relayed + chunk.count > limit { chunk.removeLast(relayed + chunk.count - limit) }
                guard Self.sendAll(client, chunk) else { return false }
                relayed += chunk.count
            }
            if watched[0].revents != 0 {
                if let chunk = Self.receive(client) {
                    guard Self.sendAll(upstream, chunk) else { return false }
                } else {
                    shutdown(upstream, Int32(SHUT_WR))
                    watched[0].fd = -1  // poll(2) skips negative descriptors
                }
            }
        }
    }

    private func connectUpstream() -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = Self.loopbackAddress(port: upstreamPort)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard connected, track(fd) else {
            close(fd)
            return nil
        }
        Self.configure(fd, receiveTimeout: nil)
        return fd
    }
}
