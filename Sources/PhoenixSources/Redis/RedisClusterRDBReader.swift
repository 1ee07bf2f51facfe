import FoundationEssentials
import PhoenixCrypto

/// Reads the stream of `RedisClusterRDBFormat` incrementally: feed any pieces, get each master's
/// start, its RDB bytes and its end as their frames complete, and the summary once the stream
/// ends. Every RDB is walked (structure, CRC-64, keys) and hashed as it passes, and checked
/// against the `E` frame after it; the masters are checked against the summary.
///
/// Memory is bounded by one frame plus the piece being fed. A damaged stream is refused with
/// what is wrong: bad magic, an unknown, misplaced or oversized frame, an RDB that is damaged or
/// differs from what its end frame recorded, masters missing or extra, a stream cut off.
public struct RedisClusterRDBReader: ~Copyable {
    public enum Event: Sendable {
        case nodeStarted(RedisClusterRDBNode)
        /// The next bytes of the current master's RDB.
        case rdb([UInt8])
        case nodeEnded(RedisClusterRDBNode, RedisClusterRDBNodeEnd)
    }

    private var pending: [UInt8] = []
    private var pendingStart = 0
    private var sawMagic = false
    private var current: (node: RedisClusterRDBNode, checker: RDBChecker)?
    /// The masters read so far, complete.
    public private(set) var nodes: [RedisClusterRDBNode] = []
    public private(set) var keyCount: Int64 = 0
    public private(set) var summary: RedisClusterRDBSummary?

    public init() {}

    /// True when `prefix` (at least the magic's length) starts a cluster RDB stream.
    public static func recognises(_ prefix: [UInt8]) -> Bool {
        prefix.starts(with: RedisClusterRDBFormat.magic)
    }

    /// Consumes `bytes`; returns what the frames they completed hold (possibly nothing).
    public mutating func consume(_ bytes: [UInt8]) throws(RedisSourceError) -> [Event] {
        if pendingStart > 0 && pendingStart == pending.count {
            pending.removeAll(keepingCapacity: true)
            pendingStart = 0
        }
        pending += bytes
        if !sawMagic {
            let magic = RedisClusterRDBFormat.magic
            let available = min(pending.count - pendingStart, magic.count)
            guard pending[pendingStart..<pendingStart + available].elementsEqual(magic.prefix(available)) else {
                throw Self.damaged("not a phoenix-dr Redis Cluster RDB backup (bad magic)")
            }
            guard available == magic.count else { return [] }
            pendingStart += magic.count
            sawMagic = true
        }
        var events: [Event] = []
        while pending.count - pendingStart >= 5 {
            guard summary == nil else { throw Self.damaged("bytes after the summary frame") }
            let typeByte = pending[pendingStart]
            guard let type = RedisClusterRDBFormat.FrameType(rawValue: typeByte) else {
                throw Self.damaged("unknown frame type 0x\(String(typeByte, radix: 16)) after \(nodes.count) masters")
            }
            var length = 0
            for byte in pending[(pendingStart + 1)..<(pendingStart + 5)] { length = length << 8 | Int(byte) }
            let limit = type == .rdb ? RedisClusterRDBFormat.maxDataFrameLength : RedisClusterRDBFormat.maxJSONFrameLength
            guard length <= limit else { throw Self.damaged("a frame of \(length) bytes is larger than the \(limit >> 20) MiB allowed") }
            guard pending.count - pendingStart >= 5 + length else { break }
            let body = pending[(pendingStart + 5)..<(pendingStart + 5 + length)]
            pendingStart += 5 + length
            if let event = try frame(type, body) { events.append(event) }
        }
        if pendingStart > 1 << 20 {
            pending.removeFirst(pendingStart)
            pendingStart = 0
        }
        return events
    }

    private mutating func frame(_ type: RedisClusterRDBFormat.FrameType, _ body: ArraySlice<UInt8>) throws(RedisSourceError) -> Event? {
        switch type {
        case .node:
            guard current == nil else { throw Self.damaged("master \(current!.node.number) has no end frame before the next master") }
            let node: RedisClusterRDBNode = try Self.decode(body, "a master's start frame")
            guard node.number == nodes.count + 1 else { throw Self.damaged("master \(node.number) where master \(nodes.count + 1) was due") }
            current = (node, RDBChecker())
            return .nodeStarted(node)
        case .rdb:
            guard current != nil else { throw Self.damaged("RDB bytes outside a master's section") }
            let bytes = Array(body)
            do { try current!.checker.consume(bytes) } catch {
                throw Self.damaged("the RDB of master \(current!.node.number) (\(current!.node.node.address)) is damaged: \(error)")
            }
            return .rdb(bytes)
        case .nodeEnd:
            guard case let (node, checker)? = current else { throw Self.damaged("an end frame outside a master's section") }
            current = nil
            let end: RedisClusterRDBNodeEnd = try Self.decode(body, "master \(node.number)'s end frame")
            let scan: RDBScanner.Summary, digest: String
            do { (scan, digest) = try checker.finishWithSummary() } catch {
                throw Self.damaged("the RDB of master \(node.number) (\(node.node.address)) is incomplete or damaged: \(error)")
            }
            guard digest == end.rdbSHA256 else {
                throw Self.damaged("the RDB of master \(node.number) differs from the one the backup recorded (SHA-256)")
            }
            guard scan.keys == end.keys else {
                throw Self.damaged("the RDB of master \(node.number) holds \(scan.keys) keys but the backup recorded \(end.keys)")
            }
            nodes.append(node)
            keyCount += end.keys
            return .nodeEnded(node, end)
        case .summary:
            guard current == nil else { throw Self.damaged("the summary frame inside master \(current!.node.number)'s section") }
            summary = try Self.decode(body, "the summary frame")
            return nil
        }
    }

    /// Checks the stream ended with its summary, and that the masters read match it.
    public mutating func finish() throws(RedisSourceError) -> RedisClusterRDBSummary {
        guard sawMagic else { throw Self.damaged("empty or truncated (no header)") }
        guard pending.count == pendingStart else { throw Self.damaged("truncated (a frame is cut off after \(nodes.count) masters)") }
        guard let summary else { throw Self.damaged("truncated (the summary frame is missing after \(nodes.count) masters)") }
        guard summary.nodes == nodes.map(\.node) else {
            throw Self.damaged("the stream holds \(nodes.count) masters but the summary records \(summary.nodes.count), or others")
        }
        guard summary.keys == keyCount else { throw Self.damaged("the masters hold \(keyCount) keys but the summary records \(summary.keys)") }
        if let problem = RedisClusterNode.coverageProblem(of: summary.nodes) { throw Self.damaged("its slot map is not whole: \(problem)") }
        return summary
    }

    private static func decode<T: Decodable>(_ body: ArraySlice<UInt8>, _ what: String) throws(RedisSourceError) -> T {
        do { return try JSONDecoder().decode(T.self, from: Data(body)) } catch { throw damaged("\(what) is not valid JSON") }
    }

    static func damaged(_ reason: String) -> RedisSourceError {
        RedisSourceError("damaged Redis Cluster RDB backup: \(reason)")
    }
}
