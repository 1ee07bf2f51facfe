import Foundation
import PhoenixConcurrency

/// The replica side of Redis's replication handshake, over a plain blocking socket on a queue of
/// its own: what `redis-cli --rdb` does. hiredis cannot be used here: after `SYNC` the server
/// sends a raw RDB payload, not a RESP reply.
actor RedisReplicationClient {
    private let executor: DispatchQueueExecutor
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    private var fd: Int32 = -1
    /// Reused for every `recv`: allocating and zeroing 256 KiB per read showed in profiles.
    private var buffer = [UInt8](repeating: 0, count: 256 * 1024)
    private var filled = 0
    private var position = 0

    init() {
        executor = DispatchQueueExecutor(label: "phoenix.redis.replication")
    }

    deinit {
        if fd >= 0 { Glibc.close(fd) }
    }

    /// Connects to `host:port` with `timeout` for the connection and for every later read.
    func connect(host: String, port: Int, timeout: Duration) throws(RedisSourceError) {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
            throw RedisSourceError("cannot resolve Redis host \(host)")
        }
        defer { freeaddrinfo(list) }
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        var lastError: Int32 = 0
        while let info = candidate {
            let socket = Glibc.socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            if socket >= 0 {
                setTimeout(socket, timeout)
                if Glibc.connect(socket, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 {
                    fd = socket
                    return
                }
                lastError = errno
                Glibc.close(socket)
            }
            candidate = info.pointee.ai_next
        }
        throw RedisSourceError("cannot connect to Redis at \(host):\(port): \(String(cString: strerror(lastError)))")
    }

    private nonisolated func setTimeout(_ socket: Int32, _ timeout: Duration) {
        let (seconds, attoseconds) = timeout.components
        var value = timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Sends one command as a RESP array of bulk strings.
    func send(_ arguments: [String]) throws(RedisSourceError) {
        var bytes = Array("*\(arguments.count)\r\n".utf8)
        for argument in arguments {
            let data = Array(argument.utf8)
            bytes += Array("$\(data.count)\r\n".utf8) + data + [13, 10]
        }
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if count < 0 {
                if errno == EINTR { continue }
                throw RedisSourceError("the connection to Redis failed while sending: \(String(cString: strerror(errno)))")
            }
            offset += count
        }
    }

    /// One reply line without its CRLF. Bare `\n` bytes before it are the keep-alives a master
    /// sends while it prepares the RDB, and are skipped.
    func readLine() throws(RedisSourceError) -> String {
        var line: [UInt8] = []
        while true {
            if position == filled { try fill() }
            let byte = buffer[position]
            position += 1
            if byte == 0x0A {
                if line.isEmpty { continue }
                if line.last == 0x0D { line.removeLast() }
                return String(decoding: line, as: UTF8.self)
            }
            line.append(byte)
            guard line.count <= 64 * 1024 else { throw RedisSourceError("Redis sent a reply line longer than 64 KiB") }
        }
    }

    /// Up to `maxCount` bytes; throws when the server closes the connection first.
    func read(maxCount: Int) throws(RedisSourceError) -> [UInt8] {
        if position == filled { try fill() }
        let end = min(filled, position + maxCount)
        defer { position = end }
        return Array(buffer[position..<end])
    }

    private func fill() throws(RedisSourceError) {
        position = 0
        filled = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                filled = count
                return
            }
            if count < 0 && errno == EINTR { continue }
            if count == 0 { throw RedisSourceError("Redis closed the replication stream early") }
            if errno == EAGAIN || errno == EWOULDBLOCK { throw RedisSourceError("Redis sent nothing within the timeout") }
            throw RedisSourceError("the replication stream failed: \(String(cString: strerror(errno)))")
        }
    }

    func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }
}

/// A Redis backup or restore failure, in words an operator can act on (never a password).
public struct RedisSourceError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
