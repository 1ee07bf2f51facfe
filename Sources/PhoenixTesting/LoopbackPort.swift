import Glibc

/// Ports for servers a test starts on 127.0.0.1.
public enum LoopbackPort {
    /// A port that is free now, in 10000-19999: below the ephemeral range (32768+), so no
    /// outgoing connection takes it before the server binds it (a port the kernel picked by
    /// binding port 0 was), and below the cluster tests' ports (20000+).
    public static func free() -> Int {
        while true {
            let port = 10_000 + Int.random(in: 0..<10_000)
            if isBindable(port) { return port }
        }
    }

    private static func isBindable(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}
