import Glibc
import PhoenixSockets

/// The blocking socket calls and the head parsing that the proxy's threads use.
extension FaultProxy {
    // MARK: - Sockets

    static func listenOnLoopback() throws -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SocketError.syscall("socket", errno: errno) }
        var address = loopbackAddress(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let failure: (String, Int32)? = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                if bind(fd, pointer, length) != 0 { return ("bind", errno) }
                if listen(fd, 64) != 0 { return ("listen", errno) }
                if getsockname(fd, pointer, &length) != 0 { return ("getsockname", errno) }
                return nil
            }
        }
        if let (operation, code) = failure {
            close(fd)
            throw SocketError.syscall(operation, errno: code)
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    static func loopbackAddress(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(truncatingIfNeeded: port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    /// No Nagle delay, so a cut-off prefix leaves before the reset; an optional read timeout.
    static func configure(_ fd: Int32, receiveTimeout: timeval?) {
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        if var timeout = receiveTimeout {
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }
    }

    /// The next bytes from `fd`; nil at end of stream, on an error or on a read timeout.
    static func receive(_ fd: Int32, upTo limit: Int = 65_536) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: limit)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 { return Array(buffer[..<count]) }
            if count < 0, errno == EINTR { continue }
            return nil
        }
    }

    /// Sends all of `bytes`; false if the peer went away. MSG_NOSIGNAL: EPIPE, not SIGPIPE.
    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent < 0, errno == EINTR { continue }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    /// Waits (up to about two seconds) until the peer has acknowledged everything sent, because
    /// an abortive close drops unsent bytes: the client must get the promised prefix first.
    static func waitUntilSent(_ fd: Int32) {
        for _ in 0..<400 {
            // SIOCOUTQ (tcp(7)): bytes not yet acknowledged by the peer. It equals TIOCOUTQ.
            var unacknowledged: Int32 = 0
            guard ioctl(fd, UInt(TIOCOUTQ), &unacknowledged) == 0, unacknowledged > 0 else { return }
            usleep(5_000)
        }
    }

    // MARK: - Request head

    /// The length of the head up to and including its blank line, if it is all in `bytes`.
    static func headLength(in bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index + 4
        }
        return nil
    }

    /// The request line's method and target and the Content-Length (0 when absent or invalid);
    /// nil for a request line without both.
    static func parseHead(_ bytes: ArraySlice<UInt8>) -> RequestHead? {
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\r\n")
        let requestLine = lines.first?.split(separator: " ") ?? []
        guard requestLine.count >= 2 else { return nil }
        var contentLength = 0
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":"),
                  line[..<colon].trimmingWhitespace().lowercased() == "content-length" else { continue }
            contentLength = Int(line[line.index(after: colon)...].trimmingWhitespace()) ?? 0
            break
        }
        return RequestHead(method: String(requestLine[0]), target: String(requestLine[1]),
                           contentLength: contentLength, length: bytes.count)
    }
}

private extension Substring {
    /// Without leading and trailing spaces and tabs (RFC 9112 §5: optional whitespace).
    func trimmingWhitespace() -> Substring {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = firstIndex(where: { !isBlank($0) }), let end = lastIndex(where: { !isBlank($0) }) else { return "" }
        return self[start...end]
    }
}
