import Dispatch
import Glibc
import Synchronization

/// A loopback HTTP peer that plays an active Vault whose snapshot breaks off: `/v1/sys/health`
/// answers 200 as Vault does, and the snapshot announces `Content-Length: announced` but sends
/// only `sent` bytes (a gzip header, then filler) before closing. Every answer closes its
/// connection. Its I/O blocks, so it runs on a thread of its own.
final class ShortSnapshotPeer: Sendable {
    let port: Int
    private let listener: Int32
    private let isStopped = Atomic<Bool>(false)
    private let done = DispatchSemaphore(value: 0)

    init(announced: Int, sent: Int) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(listener, pointer, length) == 0 && listen(listener, 16) == 0 && getsockname(listener, pointer, &length) == 0
            }
        }
        guard listener >= 0, bound else {
            close(listener)
            throw PeerFailure()
        }
        self.listener = listener
        port = Int(UInt16(bigEndian: address.sin_port))
        let health = #"{"initialized":true,"sealed":false,"standby":false,"performance_standby":false,"version":"1.15.0"}"#
        let snapshot = [UInt8]([0x1F, 0x8B, 0x08]) + [UInt8](repeating: 0x5A, count: sent - 3)
        DispatchQueue(label: "short-snapshot-peer").async { [self] in
            while !isStopped.load(ordering: .relaxed) {
                let connection = accept(listener, nil, nil)
                guard connection >= 0 else { break }
                let head = readHead(connection)
                if head.contains("/v1/sys/health") {
                    send(connection, Array("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(health.utf8.count)\r\nConnection: close\r\n\r\n\(health)".utf8))
                } else {
                    send(connection, Array("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: \(announced)\r\nConnection: close\r\n\r\n".utf8) + snapshot)
                }
                close(connection)
            }
            done.signal()
        }
    }

    /// Stops accepting and waits for the thread.
    func stop() {
        isStopped.store(true, ordering: .relaxed)
        shutdown(listener, Int32(SHUT_RDWR))
        done.wait()
        close(listener)
    }

    private func readHead(_ fd: Int32) -> String {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !String(decoding: bytes, as: UTF8.self).contains("\r\n\r\n") {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private func send(_ fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if count <= 0 { return }
            offset += count
        }
    }

    struct PeerFailure: Error {}
}
