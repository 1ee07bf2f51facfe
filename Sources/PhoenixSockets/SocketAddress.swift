import CLinuxSystem
import Glibc

/// An IPv4 or IPv6 address with a port, parsed from `HOST:PORT` or `[IPV6]:PORT`.
///
/// Host names other than `localhost` are not resolved: a listener binds to a literal address.
public struct SocketAddress: Sendable, Hashable, CustomStringConvertible {
    /// The host as written, without brackets (`127.0.0.1`, `::1`).
    public let host: String
    /// The port; 0 asks the kernel for a free one.
    public let port: UInt16

    /// Whether the address is IPv6.
    public var isIPv6: Bool { host.contains(":") }

    /// Creates an address from a literal host and a port.
    public init(host: String, port: UInt16) throws(SocketError) {
        let literal = host == "localhost" ? "127.0.0.1" : host
        var probe = in6_addr()
        let family = literal.contains(":") ? AF_INET6 : AF_INET
        guard inet_pton(family, literal, &probe) == 1 else { throw .invalidAddress(host) }
        self.host = literal
        self.port = port
    }

    /// Parses `HOST:PORT`, `[IPV6]:PORT` or `:PORT` (all IPv4 interfaces).
    public init(parsing text: String) throws(SocketError) {
        guard let colon = text.lastIndex(of: ":"),
              let port = UInt16(text[text.index(after: colon)...])
        else { throw .invalidAddress(text) }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
        } else if host.contains(":") {
            throw .invalidAddress(text)  // an IPv6 host needs brackets to tell it from the port
        }
        if host.isEmpty { host = "0.0.0.0" }
        do {
            try self.init(host: host, port: port)
        } catch {
            throw .invalidAddress(text)
        }
    }

    public var description: String {
        isIPv6 ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// Calls `body` with this address as a `sockaddr` of the right family and length.
    func withSockaddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        var storage = sockaddr_storage()
        let length: socklen_t
        if isIPv6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = port.bigEndian
            _ = inet_pton(AF_INET6, host, &address.sin6_addr)
            withUnsafeBytes(of: address) { bytes in
                withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: bytes) }
            }
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            _ = inet_pton(AF_INET, host, &address.sin_addr)
            withUnsafeBytes(of: address) { bytes in
                withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: bytes) }
            }
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
        }
        return withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) }
        }
    }

    /// Reads an address back from a `sockaddr_storage` filled in by the kernel.
    static func from(_ storage: sockaddr_storage) -> SocketAddress? {
        var copy = storage
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        switch Int32(storage.ss_family) {
        case AF_INET:
            return withUnsafePointer(to: &copy) {
                $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { address in
                    var raw = address.pointee.sin_addr
                    guard inet_ntop(AF_INET, &raw, &text, socklen_t(text.count)) != nil else { return nil }
                    return try? SocketAddress(host: decodeCString(text), port: UInt16(bigEndian: address.pointee.sin_port))
                }
            }
        case AF_INET6:
            return withUnsafePointer(to: &copy) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { address in
                    var raw = address.pointee.sin6_addr
                    guard inet_ntop(AF_INET6, &raw, &text, socklen_t(text.count)) != nil else { return nil }
                    return try? SocketAddress(host: decodeCString(text), port: UInt16(bigEndian: address.pointee.sin6_port))
                }
            }
        default:
            return nil
        }
    }
}

/// The text of a NUL-terminated C buffer.
private func decodeCString(_ buffer: [CChar]) -> String {
    let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return String(decoding: bytes, as: UTF8.self)
}
