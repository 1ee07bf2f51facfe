import Foundation
import Glibc
import PhoenixSockets
import PhoenixTesting

/// An HTTP/2 frame as read off the wire (RFC 9113 §4.1).
struct Frame: Sendable {
    var type: UInt8
    var flags: UInt8
    var streamID: UInt32
    var payload: [UInt8]

    static let data: UInt8 = 0, headers: UInt8 = 1, rstStream: UInt8 = 3, settings: UInt8 = 4, ping: UInt8 = 6,
               goAway: UInt8 = 7, windowUpdate: UInt8 = 8, continuation: UInt8 = 9
    static let endStream: UInt8 = 0x1, endHeaders: UInt8 = 0x4, ack: UInt8 = 0x1

    var isEndStream: Bool { flags & Self.endStream != 0 && (type == Self.data || type == Self.headers) }
    /// The error code of RST_STREAM, or of GOAWAY (after its last-stream id).
    var errorCode: UInt32? {
        let offset = type == Self.rstStream ? 0 : type == Self.goAway ? 4 : -1
        guard offset >= 0, payload.count >= offset + 4 else { return nil }
        return payload[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }
}

/// A raw HTTP/2 client for tests: writes the frames it is told to, including abusive ones, and
/// reads frames back. Blocking reads run on a thread of their own (`offPool`).
final class FrameClient: @unchecked Sendable {
    // Safety: `socket` is immutable; `pending` is used only by one reading call at a time.
    private let fd: Int32
    private var pending: [UInt8] = []

    /// Connects, sends the preface and our SETTINGS (`settings` as id/value pairs), unless
    /// `sendsPreface` is false: then the test sends them itself.
    init(port: UInt16, settings: [(UInt16, UInt32)] = [], receiveTimeout: Duration = .seconds(5), sendsPreface: Bool = true) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SocketError.syscall("socket", errno: errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(fd)
            throw SocketError.syscall("connect", errno: errno)
        }
        let (seconds, attoseconds) = receiveTimeout.components
        var value = timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        guard sendsPreface else { return }
        try send(Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8))
        try send(Self.frame(type: Frame.settings, flags: 0, stream: 0, payload: settings.flatMap { id, value in
            Self.bigEndian(UInt32(id), bytes: 2) + Self.bigEndian(value, bytes: 4)
        }))
    }

    deinit {
        close(fd)
    }

    // MARK: - Writing

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw SocketError.syscall("send", errno: errno) }
            offset += count
        }
    }

    /// A GET (or `method`) request on `stream` as one HEADERS frame.
    func request(_ path: String, stream: UInt32, method: String = "GET", endStream: Bool = true,
                 extra: [(String, String)] = []) throws {
        let block = Self.headerBlock([(":method", method), (":scheme", "http"), (":authority", "test"), (":path", path)] + extra)
        try send(Self.frame(type: Frame.headers, flags: Frame.endHeaders | (endStream ? Frame.endStream : 0), stream: stream, payload: block))
    }

    static func frame(type: UInt8, flags: UInt8, stream: UInt32, payload: [UInt8]) -> [UInt8] {
        bigEndian(UInt32(payload.count), bytes: 3) + [type, flags] + bigEndian(stream, bytes: 4) + payload
    }

    static func rstStream(_ stream: UInt32, code: UInt32 = 0x8) -> [UInt8] {
        frame(type: Frame.rstStream, flags: 0, stream: stream, payload: bigEndian(code, bytes: 4))
    }

    /// HPACK (RFC 7541 §6.2.2): every field as a literal without indexing, no Huffman coding.
    static func headerBlock(_ fields: [(String, String)]) -> [UInt8] {
        var block: [UInt8] = []
        for (name, value) in fields {
            block.append(0)
            block += hpackString(name)
            block += hpackString(value)
        }
        return block
    }

    private static func hpackString(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        if bytes.count < 127 {
            out.append(UInt8(bytes.count))
        } else {
            out.append(127)
            var rest = bytes.count - 127
            while rest >= 128 {
                out.append(UInt8(rest % 128 + 128))
                rest /= 128
            }
            out.append(UInt8(rest))
        }
        return out + bytes
    }

    static func bigEndian(_ value: UInt32, bytes: Int) -> [UInt8] {
        (0..<bytes).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * UInt32($0))) }
    }

    // MARK: - Reading

    /// How a read of frames ended.
    enum End: Equatable, Sendable {
        /// `stop` accepted a frame (the last one returned).
        case stopped
        /// The server closed (or reset) the connection.
        case closed
        /// Nothing came within the receive timeout.
        case timedOut
    }

    /// Reads frames until `stop` returns true for one (returned last) or the connection ends.
    func readFrames(until stop: @escaping @Sendable (Frame) -> Bool) async throws -> (frames: [Frame], end: End) {
        try await offPool { self.readFramesBlocking(until: stop) }
    }

    /// Reads until the server closes the connection.
    func readToClose() async throws -> (frames: [Frame], end: End) {
        try await readFrames { _ in false }
    }

    private func readFramesBlocking(until stop: (Frame) -> Bool) -> (frames: [Frame], end: End) {
        var frames: [Frame] = []
        while true {
            while let frame = takeFrame() {
                frames.append(frame)
                if stop(frame) { return (frames, .stopped) }
            }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                pending += chunk[0..<count]
            } else {
                return (frames, count == 0 || errno == ECONNRESET ? .closed : .timedOut)
            }
        }
    }

    /// Sends `bytes` on a thread of its own, ignoring a failure: for floods the server may cut
    /// off mid-way, while the test reads.
    func sendInBackground(_ bytes: [UInt8]) {
        Thread.detachNewThread { try? self.send(bytes) }
    }

    private func takeFrame() -> Frame? {
        guard pending.count >= 9 else { return nil }
        let length = Int(pending[0]) << 16 | Int(pending[1]) << 8 | Int(pending[2])
        guard pending.count >= 9 + length else { return nil }
        let stream = pending[5..<9].reduce(UInt32(0)) { $0 << 8 | UInt32($1) } & 0x7fff_ffff
        let frame = Frame(type: pending[3], flags: pending[4], streamID: stream, payload: Array(pending[9..<9 + length]))
        pending.removeFirst(9 + length)
        return frame
    }
}
