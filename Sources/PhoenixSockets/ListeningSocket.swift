import CLinuxSystem
import Glibc

/// A bound, listening, non-blocking TCP socket.
public final class ListeningSocket: Sendable {
    /// The owned descriptor.
    public let fd: FileDescriptor
    /// The address actually bound (with the kernel's port when 0 was asked for).
    public let address: SocketAddress

    /// Binds and listens on `address`.
    /// - Parameter backlog: the accept queue length; the kernel caps it at `somaxconn`.
    public init(binding address: SocketAddress, backlog: Int32 = 4096) throws(SocketError) {
        let fd = try FileDescriptor.socket(domain: address.isIPv6 ? AF_INET6 : AF_INET, type: Int32(SOCK_STREAM.rawValue))
        var one: Int32 = 1
        let size = socklen_t(MemoryLayout<Int32>.size)
        // SO_REUSEADDR: a restart must not wait for TIME_WAIT connections of the last run.
        guard setsockopt(fd.rawValue, SOL_SOCKET, SO_REUSEADDR, &one, size) == 0 else {
            throw .lastError("setsockopt(SO_REUSEADDR)")
        }
        if address.isIPv6 {
            // An IPv6 listener serves IPv6 only, so IPv4 and IPv6 listeners can share a port.
            _ = setsockopt(fd.rawValue, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &one, size)
        }
        let bound = address.withSockaddr { bind(fd.rawValue, $0, $1) }
        guard bound == 0 else { throw .lastError("bind \(address)") }
        guard listen(fd.rawValue, backlog) == 0 else { throw .lastError("listen") }
        self.fd = fd
        self.address = try Self.localAddress(of: fd.rawValue) ?? address
    }

    /// Accepts one pending connection, or returns nil when none is waiting.
    public func accept() throws(SocketError) -> SocketStream? {
        while true {
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let raw = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    phx_accept_nonblocking(fd.rawValue, $0, &length)
                }
            }
            if raw >= 0 {
                let stream = SocketStream(taking: FileDescriptor(taking: raw), peer: SocketAddress.from(storage))
                // Responses go out in one write; Nagle would hold the next pipelined one back.
                stream.setOption(level: Int32(IPPROTO_TCP), name: TCP_NODELAY, value: 1)
                return stream
            }
            let code = phx_errno()
            switch code {
            case EINTR, ECONNABORTED, EPROTO: continue
            case EAGAIN, EWOULDBLOCK: return nil
            default: throw .syscall("accept4", errno: code)
            }
        }
    }

    private static func localAddress(of fd: Int32) throws(SocketError) -> SocketAddress? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard result == 0 else { throw .lastError("getsockname") }
        return SocketAddress.from(storage)
    }
}
