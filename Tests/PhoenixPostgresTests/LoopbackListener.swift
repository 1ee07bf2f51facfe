import Glibc

/// A TCP socket bound to 127.0.0.1 on a kernel-chosen port, for connection failure tests.
///
/// While it listens, the kernel completes TCP handshakes but nobody ever answers, which is the
/// "server hangs" case; after `close()` the port refuses connections, the "nothing there" case.
final class LoopbackListener {
    let port: UInt16
    private var fd: Int32

    init(listening: Bool) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ListenerError.failed("socket") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sockaddrPointer in
                bind(fd, sockaddrPointer, length) == 0 && getsockname(fd, sockaddrPointer, &length) == 0
            }
        }
        guard bound, !listening || listen(fd, 16) == 0 else {
            Glibc.close(fd)
            throw ListenerError.failed("bind/listen")
        }
        self.fd = fd
        self.port = UInt16(bigEndian: address.sin_port)
    }

    deinit { close() }

    /// Closes the socket; the port then refuses connections (until the kernel reuses it).
    func close() {
        guard fd >= 0 else { return }
        Glibc.close(fd)
        fd = -1
    }

    enum ListenerError: Error {
        case failed(String)
    }
}
