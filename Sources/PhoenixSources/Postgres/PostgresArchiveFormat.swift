/// The byte stream a `postgres` backup stores (inside the encrypted artifact).
///
/// `pg_dump -Fc` writes one database; a restore into a fresh cluster also needs its roles, and a
/// check after the restore needs the row counts and state hashes taken in the dump's snapshot,
/// which are known only once the dump has run (they are computed beside it). So the stream is a
/// magic line followed by frames, each `type (1 byte) ‖ length (4 bytes, big-endian) ‖ bytes`:
///
/// - `G`: `pg_dumpall --globals-only` SQL (roles, tablespaces), zero or more frames, first;
/// - `D`: the `pg_dump -Fc` archive, in frames of at most 1 MiB, in order;
/// - `M`: the `PostgresSnapshotFacts` JSON, exactly once, last.
///
/// Frames make the stream readable front to back with no look-ahead, and a stream that stops
/// before its `M` frame is recognisably truncated.
public enum PostgresArchiveFormat {
    public static let magic = Array("PHXPG01\n".utf8)
    public static let maxFrameLength = 1 << 20
    /// Globals and facts are small; a larger frame of either means a corrupt or hostile stream.
    public static let maxMetadataBytes = 16 << 20

    public enum FrameType: UInt8, Sendable {
        case globals = 0x47  // G
        case dump = 0x44  // D
        case facts = 0x4D  // M
    }

    /// The frames of `payload` (split at `maxFrameLength`).
    public static func frames(_ type: FrameType, _ payload: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(payload.count + 5 * (payload.count / maxFrameLength + 1))
        var start = 0
        repeat {
            let end = min(payload.count, start + maxFrameLength)
            let length = UInt32(end - start)
            out.append(type.rawValue)
            out += [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
            out += payload[start..<end]
            start = end
        } while start < payload.count
        return out
    }
}

/// Why a postgres archive stream cannot be read.
public struct PostgresArchiveError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Reads the stream of `PostgresArchiveFormat` incrementally: feed any pieces, get the dump
/// bytes out as they complete, and the globals and facts once the stream ends.
public struct PostgresArchiveReader: Sendable {
    private var pending: [UInt8] = []
    private var pendingStart = 0
    private var sawMagic = false
    private var sawDump = false
    private var signature: [UInt8] = []
    public private(set) var globals: [UInt8] = []
    public private(set) var factsJSON: [UInt8]?
    public private(set) var dumpByteCount: Int64 = 0

    public init() {}

    /// Consumes `bytes`; returns the dump bytes they completed (possibly empty).
    public mutating func consume(_ bytes: [UInt8]) throws(PostgresArchiveError) -> [UInt8] {
        if pendingStart > 0 && pendingStart == pending.count {
            pending.removeAll(keepingCapacity: true)
            pendingStart = 0
        }
        pending += bytes
        var dump: [UInt8] = []
        if !sawMagic {
            guard pending.count - pendingStart >= PostgresArchiveFormat.magic.count else { return [] }
            guard Array(pending[pendingStart..<pendingStart + PostgresArchiveFormat.magic.count]) == PostgresArchiveFormat.magic else {
                throw PostgresArchiveError("not a phoenix-dr PostgreSQL archive (bad magic)")
            }
            pendingStart += PostgresArchiveFormat.magic.count
            sawMagic = true
        }
        while pending.count - pendingStart >= 5 {
            guard factsJSON == nil else { throw PostgresArchiveError("bytes after the final facts frame") }
            let typeByte = pending[pendingStart]
            let length = Int(pending[pendingStart + 1]) << 24 | Int(pending[pendingStart + 2]) << 16
                | Int(pending[pendingStart + 3]) << 8 | Int(pending[pendingStart + 4])
            guard let type = PostgresArchiveFormat.FrameType(rawValue: typeByte) else {
                throw PostgresArchiveError("unknown frame type 0x\(String(typeByte, radix: 16))")
            }
            guard length <= PostgresArchiveFormat.maxFrameLength else { throw PostgresArchiveError("frame of \(length) bytes is too long") }
            guard pending.count - pendingStart >= 5 + length else { break }
            let body = pending[pendingStart + 5..<pendingStart + 5 + length]
            pendingStart += 5 + length
            switch type {
            case .globals:
                guard !sawDump else { throw PostgresArchiveError("globals after the dump") }
                guard globals.count + body.count <= PostgresArchiveFormat.maxMetadataBytes else { throw PostgresArchiveError("globals too large") }
                globals += body
            case .dump:
                // The signature may arrive split over the first frames (a short first read).
                if signature.count < 5 {
                    signature += body.prefix(5 - signature.count)
                    guard Array("PGDMP".utf8).starts(with: signature) else {
                        throw PostgresArchiveError("the dump does not start with pg_dump's PGDMP signature")
                    }
                }
                sawDump = true
                dumpByteCount += Int64(body.count)
                dump += body
            case .facts:
                factsJSON = Array(body)
            }
        }
        // Keep memory bounded: drop what has been consumed once it is most of the buffer.
        if pendingStart > PostgresArchiveFormat.maxFrameLength {
            pending.removeFirst(pendingStart)
            pendingStart = 0
        }
        return dump
    }

    /// Checks the stream ended where a complete archive ends.
    public func finish() throws(PostgresArchiveError) {
        guard sawMagic else { throw PostgresArchiveError("empty or truncated archive (no header)") }
        guard pending.count == pendingStart else { throw PostgresArchiveError("truncated archive (a frame is cut off)") }
        guard sawDump else { throw PostgresArchiveError("the archive holds no dump") }
        guard signature.count == 5 else { throw PostgresArchiveError("the dump does not start with pg_dump's PGDMP signature") }
        guard factsJSON != nil else { throw PostgresArchiveError("truncated archive (the final facts frame is missing)") }
    }
}
