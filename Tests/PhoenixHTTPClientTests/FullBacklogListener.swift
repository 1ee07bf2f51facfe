import Glibc
import PhoenixTesting

/// A listener whose accept queue is full (backlog 0, one connection already queued), so the
/// kernel drops further SYNs and a connect hangs until the client's connect timeout.
final class FullBacklogListener {
    let port: UInt16
    private let fd: Int32
    private let filler: TestSocket

    init() throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let fd = self.fd
        let ready = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && listen(fd, 0) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard ready else {
            Glibc.close(fd)
            throw RawPeer.PeerError.failed("listen")
        }
        port = UInt16(bigEndian: address.sin_port)
        filler = try TestSocket(port: port)
    }

    func close() {
        Glibc.close(fd)
    }
}
