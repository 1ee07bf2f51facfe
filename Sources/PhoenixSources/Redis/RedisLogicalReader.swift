import FoundationEssentials
import PhoenixCrypto

/// Reads the stream of `RedisLogicalFormat` incrementally: feed any pieces, get the keys out as
/// their frames complete, and the summary, checked against the keys, once the stream ends.
///
/// Memory is bounded by one frame (`maxFrameLength`) plus the piece being fed. A damaged stream
/// is refused with what is wrong: bad magic, unknown frame type, oversized frame, a key frame
/// whose inner lengths do not add up, frames after the summary, a stream cut off, or keys whose
/// count or digest differ from the summary's.
public struct RedisLogicalReader: ~Copyable {
    private var pending: [UInt8] = []
    private var pendingStart = 0
    private var sawMagic = false
    private var digest = RedisContentDigest()
    private var frames = SHA256.Hasher()
    /// The keys read so far.
    public private(set) var keyCount: Int64 = 0
    /// The payload bytes read so far.
    public private(set) var payloadBytes: Int64 = 0
    public private(set) var summary: RedisLogicalSummary?

    /// A reader at the start of a stream.
    public init() {}

    /// True when `prefix` (at least the magic's length, or all there is) starts a logical stream.
    public static func recognises(_ prefix: [UInt8]) -> Bool {
        prefix.starts(with: RedisLogicalFormat.magic)
    }

    /// Consumes `bytes`; returns the keys whose frames they completed (possibly none).
    public mutating func consume(_ bytes: [UInt8]) throws(RedisLogicalFormatError) -> [RedisLogicalEntry] {
        if pendingStart > 0 && pendingStart == pending.count {
            pending.removeAll(keepingCapacity: true)
            pendingStart = 0
        }
        pending += bytes
        if !sawMagic {
            let magic = RedisLogicalFormat.magic
            let available = min(pending.count - pendingStart, magic.count)
            guard Array(pending[pendingStart..<pendingStart + available]) == Array(magic.prefix(available)) else {
                throw RedisLogicalFormatError("not a phoenix-dr logical Redis backup (bad magic)")
            }
            guard available == magic.count else { return [] }
            pendingStart += magic.count
            sawMagic = true
        }
        var entries: [RedisLogicalEntry] = []
        while pending.count - pendingStart >= 5 {
            guard summary == nil else { throw RedisLogicalFormatError("bytes after the summary frame") }
            let typeByte = pending[pendingStart]
            let length = Int(readBigEndian(pendingStart + 1, 4))
            guard let type = RedisLogicalFormat.FrameType(rawValue: typeByte) else {
                throw RedisLogicalFormatError("unknown frame type 0x\(String(typeByte, radix: 16)) after \(keyCount) keys")
            }
            let limit = type == .key ? RedisLogicalFormat.maxFrameLength : RedisLogicalFormat.maxSummaryLength
            guard length <= limit else { throw RedisLogicalFormatError("a frame of \(length) bytes is larger than the \(limit >> 20) MiB allowed") }
            guard pending.count - pendingStart >= 5 + length else { break }
            let body = pendingStart + 5
            pendingStart += 5 + length
            switch type {
            case .key:
                frames.update(pending[(body - 5)..<(body + length)])
                let entry = try keyEntry(at: body, length: length)
                digest.add(entry)
                keyCount += 1
                payloadBytes += Int64(entry.payload.count)
                entries.append(entry)
            case .summary:
                do {
                    summary = try JSONDecoder().decode(RedisLogicalSummary.self, from: Data(pending[body..<body + length]))
                } catch {
                    throw RedisLogicalFormatError("the summary frame is not valid JSON")
                }
            }
        }
        // Keep memory bounded: drop what has been consumed once it is most of the buffer.
        if pendingStart > 1 << 20 {
            pending.removeFirst(pendingStart)
            pendingStart = 0
        }
        return entries
    }

    private func keyEntry(at body: Int, length: Int) throws(RedisLogicalFormatError) -> RedisLogicalEntry {
        guard length >= 14 else { throw RedisLogicalFormatError("a key frame of \(length) bytes is too short") }
        let database = Int(readBigEndian(body, 2))
        let keyLength = Int(readBigEndian(body + 2, 4))
        guard keyLength <= length - 14 else { throw RedisLogicalFormatError("a key frame's key length \(keyLength) exceeds its frame") }
        let keyStart = body + 6
        let expiresAt = Int64(bitPattern: readBigEndian(keyStart + keyLength, 8))
        guard expiresAt >= 0 else { throw RedisLogicalFormatError("a key frame has a negative expiry") }
        let payloadStart = keyStart + keyLength + 8
        // DUMP payloads end with a 2-byte RDB version and an 8-byte CRC-64, after at least a type byte.
        guard body + length - payloadStart >= 11 else { throw RedisLogicalFormatError("a key frame's DUMP payload is too short") }
        return RedisLogicalEntry(database: database, key: Array(pending[keyStart..<keyStart + keyLength]), expiresAt: expiresAt,
                                 payload: Array(pending[payloadStart..<body + length]))
    }

    private func readBigEndian(_ start: Int, _ count: Int) -> UInt64 {
        var value: UInt64 = 0
        for byte in pending[start..<start + count] { value = value << 8 | UInt64(byte) }
        return value
    }

    /// Checks the stream ended with its summary, and that the keys read match it.
    /// - Returns: The summary.
    public mutating func finish() throws(RedisLogicalFormatError) -> RedisLogicalSummary {
        guard sawMagic else { throw RedisLogicalFormatError("empty or truncated logical backup (no header)") }
        guard pending.count == pendingStart else { throw RedisLogicalFormatError("truncated logical backup (a frame is cut off after \(keyCount) keys)") }
        guard let summary else { throw RedisLogicalFormatError("truncated logical backup (the summary frame is missing after \(keyCount) keys)") }
        guard summary.keys == keyCount else {
            throw RedisLogicalFormatError("the backup holds \(keyCount) keys but its summary records \(summary.keys)")
        }
        guard summary.digest == digest.hex else { throw RedisLogicalFormatError("the keys' digest differs from the one the backup recorded") }
        guard summary.framesSHA256 == Hex.encode(frames.finalize()) else {
            throw RedisLogicalFormatError("the key frames' SHA-256 differs from the one the backup recorded (an expiry or the framing was changed)")
        }
        return summary
    }

    /// The digest of the keys read so far.
    public var contentDigest: String { digest.hex }
}

/// Why a logical Redis backup stream cannot be read.
public struct RedisLogicalFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
