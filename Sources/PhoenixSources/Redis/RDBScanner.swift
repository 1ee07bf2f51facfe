/// Walks an RDB stream as it arrives (any piece sizes, bounded memory) and checks its structure
/// and its CRC-64, counting the keys per database and those with an expiry.
///
/// Values are skipped, not decoded: strings (plain, integer or LZF) by their length, aggregates
/// by their element counts, streams field by field. RDB versions 5 to 11 (Redis 3 to 7.2) are
/// read; module data is refused with a clear error for now (it needs the module's own walk).
public struct RDBScanner: Sendable {
    public struct Summary: Sendable, Equatable {
        /// `REDIS0010` → 10.
        public var version: Int
        public var keys: Int64
        public var keysWithExpiry: Int64
        /// Keys per database number.
        public var keysPerDatabase: [Int: Int64]
        /// `redis-ver` from the AUX fields.
        public var redisVersion: String?
        /// Whether the file carried a checksum (servers with `rdbchecksum no` write zeros).
        public var checksumVerified: Bool
        /// Keys whose expiry is before the scanner's `expiredBefore` time: a server loading the
        /// RDB then drops them, so a restore has that many keys fewer.
        public var keysExpired: Int64 = 0
        /// Keys expiring after `expiredBefore` but before `expiringBefore`: a count taken in that
        /// window may miss them, so a restore check allows for them.
        public var keysExpiringSoon: Int64 = 0
    }

    private var buffer: [UInt8] = []
    private var position = 0
    private var crc = CRC64Jones()
    private var crcEnd = 0  // bytes of `buffer` already fed to the CRC
    private var skipRemaining: Int64 = 0
    private var tasks: [RDBTask] = []
    private var phase: Phase = .header
    private var database = 0
    /// Keys of `database` not yet added to `summary.keysPerDatabase`: one dictionary update per
    /// database, not per key.
    private var keysInDatabase: Int64 = 0
    private var pendingAux: String?
    private var summary = Summary(version: 0, keys: 0, keysWithExpiry: 0, keysPerDatabase: [:], redisVersion: nil, checksumVerified: false)
    private var hasExpiry = false
    private var isExpired = false
    private var isExpiringSoon = false
    private var streamVersion = 1
    private let expiredBefore: Int64?
    private let expiringBefore: Int64?

    enum Phase: Sendable { case header, opcodes, checksum, done }

    /// A scanner; with `expiredBefore` (Unix milliseconds) it also counts the keys expired by then.
    public init(expiredBefore: Int64? = nil, expiringBefore: Int64? = nil) {
        self.expiredBefore = expiredBefore
        self.expiringBefore = expiringBefore
    }

    private mutating func noteExpiry(milliseconds: Int64) {
        hasExpiry = true
        isExpired = expiredBefore.map { milliseconds < $0 } ?? false
        isExpiringSoon = !isExpired && (expiringBefore.map { milliseconds < $0 } ?? false)
    }

    /// Feeds the next bytes.
    public mutating func consume(_ bytes: [UInt8]) throws(RDBError) {
        guard phase != .done || bytes.isEmpty else { throw RDBError("bytes after the end of the RDB") }
        buffer += bytes
        while true {
            if skipRemaining > 0 {
                let available = buffer.count - position
                let skipped = Int(min(Int64(available), skipRemaining))
                position += skipped
                skipRemaining -= Int64(skipped)
                if skipRemaining > 0 { break }
            }
            let mark = position
            let progressed: Bool
            do {
                progressed = try step()
            } catch {
                switch error {
                case .needMore:
                    position = mark
                    progressed = false
                case .invalid(let message):
                    throw RDBError(message)
                }
            }
            if !progressed { break }
        }
        compact()
    }

    /// The summary, once the whole RDB (EOF opcode and checksum) has been read.
    public func finish() throws(RDBError) -> Summary {
        guard phase != .done || position == buffer.count else { throw RDBError("bytes after the end of the RDB") }
        guard phase == .done else { throw RDBError(phase == .header ? "not an RDB (empty or no REDIS header)" : "truncated RDB (no EOF opcode and checksum)") }
        return summary
    }

    // MARK: - Steps

    private mutating func step() throws(RDBParse) -> Bool {
        switch phase {
        case .header:
            let magic = try take(9)
            guard magic.starts(with: Array("REDIS".utf8)), let version = Int(String(decoding: magic.dropFirst(5), as: UTF8.self)) else {
                throw .invalid("not an RDB (no REDIS header)")
            }
            // Before 5 there is no checksum; 12 (Redis 7.4) adds hash field TTLs we cannot walk yet.
            guard (5...11).contains(version) else { throw .invalid("RDB version \(version) is not supported (5 to 11: Redis 3 to 7.2)") }
            summary.version = version
            phase = .opcodes
            return true
        case .opcodes:
            if let task = tasks.popLast() {
                do {
                    try run(task)
                } catch .needMore {
                    tasks.append(task)  // a task pushes nothing before its reads succeed
                    throw .needMore
                }
                return true
            }
            try opcode()
            return true
        case .checksum:
            feedCRC(upTo: position)
            let expected = crc.value
            let stored = try take(8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            if stored != 0 {
                guard stored == expected else { throw .invalid("RDB checksum mismatch (the file is damaged)") }
                summary.checksumVerified = true
            }
            crcEnd = position
            phase = .done
            return false
        case .done:
            return false
        }
    }

    private mutating func opcode() throws(RDBParse) {
        let code = try byte()
        switch code {
        case 0xFF:
            countDatabaseKeys()
            phase = .checksum
        case 0xFE:
            let selected = Int(try length())
            countDatabaseKeys()
            database = selected
        case 0xFD:
            let seconds = try take(4).reversed().reduce(Int64(0)) { $0 << 8 | Int64($1) }
            noteExpiry(milliseconds: seconds * 1000)
        case 0xFC:
            let milliseconds = try take(8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            noteExpiry(milliseconds: Int64(clamping: milliseconds))
        case 0xFB:
            _ = try length()
            _ = try length()
        case 0xFA:
            // AUX: two strings; `redis-ver` is kept, the rest skipped.
            let key = try smallString()
            let value = try smallString()
            if key == "redis-ver" { summary.redisVersion = value }
        case 0xF9:
            _ = try take(1)
        case 0xF8:
            _ = try length()
        case 0xF5:
            tasks.append(.strings(1))  // a function library's code
        case 0xF6:
            throw .invalid("the RDB holds functions in the pre-release format, which Redis 7 itself refuses")
        case 0xF7:
            throw .invalid("the RDB holds module data, which cannot be checked without the module")
        default:
            try key(type: code)
        }
    }

    /// A key of value type `type`: its name, then its value.
    private mutating func key(type: UInt8) throws(RDBParse) {
        // Most keys are a name and one string (a plain value, or an encoding held in a string):
        // one task for both, with no task list built per key.
        let valueTasks: [RDBTask]
        switch type {
        case 0, 9, 10, 11, 12, 13, 16, 17, 20: valueTasks = []
        default: valueTasks = try Self.tasks(forType: type, streamVersion: &streamVersion)
        }
        summary.keys += 1
        keysInDatabase += 1
        if hasExpiry { summary.keysWithExpiry += 1 }
        if isExpired { summary.keysExpired += 1 }
        if isExpiringSoon { summary.keysExpiringSoon += 1 }
        hasExpiry = false
        isExpired = false
        isExpiringSoon = false
        if valueTasks.isEmpty {
            tasks.append(.strings(2))  // the name, then the value
        } else {
            tasks += valueTasks.reversed()
            tasks.append(.strings(1))  // the key name comes first
        }
    }

    private mutating func countDatabaseKeys() {
        if keysInDatabase > 0 { summary.keysPerDatabase[database, default: 0] += keysInDatabase }
        keysInDatabase = 0
    }

    mutating func pushTask(_ task: RDBTask) {
        tasks.append(task)
    }

    // MARK: - Reading

    mutating func byte() throws(RDBParse) -> UInt8 {
        guard position < buffer.count else { throw .needMore }
        defer { position += 1 }
        return buffer[position]
    }

    mutating func take(_ count: Int) throws(RDBParse) -> ArraySlice<UInt8> {
        guard buffer.count - position >= count else { throw .needMore }
        defer { position += count }
        return buffer[position..<position + count]
    }

    /// A length; special encodings (integers, LZF) are strings and never lengths.
    mutating func length() throws(RDBParse) -> Int64 {
        switch try lengthOrEncoding() {
        case .length(let value): return value
        case .encoding: throw .invalid("a string encoding where a length belongs")
        }
    }

    enum LengthOrEncoding { case length(Int64), encoding(UInt8) }

    mutating func lengthOrEncoding() throws(RDBParse) -> LengthOrEncoding {
        let first = try byte()
        switch first >> 6 {
        case 0: return .length(Int64(first & 0x3F))
        case 1: return .length(Int64(first & 0x3F) << 8 | Int64(try byte()))
        case 2:
            let width = first == 0x80 ? 4 : first == 0x81 ? 8 : 0
            guard width > 0 else { throw .invalid("bad length byte 0x\(String(first, radix: 16))") }
            let value = try take(width).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            guard value <= UInt64(Int64.max) else { throw .invalid("a length beyond 2^63") }
            return .length(Int64(value))
        default: return .encoding(first & 0x3F)
        }
    }

    /// Skips one string (plain, integer-encoded or LZF-compressed).
    mutating func skipString() throws(RDBParse) {
        switch try lengthOrEncoding() {
        case .length(let count): skipRemaining = count
        case .encoding(0): _ = try take(1)
        case .encoding(1): _ = try take(2)
        case .encoding(2): _ = try take(4)
        case .encoding(3):
            let compressed = try length()
            _ = try length()
            skipRemaining = compressed
        case .encoding(let other): throw .invalid("unknown string encoding \(other)")
        }
    }

    /// A short string read whole (AUX fields); long or compressed ones are skipped as "".
    mutating func smallString() throws(RDBParse) -> String {
        switch try lengthOrEncoding() {
        case .length(let count) where count <= 4096: return String(decoding: try take(Int(count)), as: UTF8.self)
        case .length(let count):
            skipRemaining = count
            return ""
        case .encoding(0): return String(Int8(bitPattern: try byte()))
        case .encoding(1):
            let bytes = try take(2)
            return String(Int16(bitPattern: UInt16(bytes[bytes.startIndex]) | UInt16(bytes[bytes.startIndex + 1]) << 8))
        case .encoding(2):
            let bytes = try take(4)
            return String(Int32(bitPattern: bytes.reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }))
        case .encoding(3):
            let compressed = try length()
            _ = try length()
            skipRemaining = compressed
            return ""
        case .encoding(let other): throw .invalid("unknown string encoding \(other)")
        }
    }

    // MARK: - Memory

    private mutating func feedCRC(upTo end: Int) {
        guard end > crcEnd else { return }
        crc.update(buffer[crcEnd..<end])
        crcEnd = end
    }

    /// Drops what has been read (after feeding it to the CRC), so memory stays at one piece.
    private mutating func compact() {
        guard position > 0 else { return }
        if phase != .done { feedCRC(upTo: position) }
        buffer.removeFirst(position)
        crcEnd -= position
        position = 0
    }
}

/// Why an RDB stream is not a valid RDB.
public struct RDBError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

enum RDBParse: Error {
    case needMore
    case invalid(String)
}
