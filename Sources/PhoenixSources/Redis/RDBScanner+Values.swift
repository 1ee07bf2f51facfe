/// One thing left to skip in the value being read.
indirect enum RDBTask: Sendable {
    /// `n` strings.
    case strings(Int)
    /// `n` raw bytes.
    case raw(Int)
    /// One length, ignored.
    case length
    /// A length `L`, then `element` `L` times.
    case lengthThenRepeat([RDBTask])
    /// `element` `remaining` more times.
    case repeating(Int64, [RDBTask])
    /// An old-style zset score: a 1-byte length (253-255: NaN, +inf, -inf without payload).
    case doubleString
}

extension RDBScanner {
    /// The tasks of a value of RDB type `type` (Redis 7.0 to 7.2; `rdb.h`).
    static func tasks(forType type: UInt8, streamVersion: inout Int) throws(RDBParse) -> [RDBTask] {
        switch type {
        case 0, 9, 10, 11, 12, 13, 16, 17, 20:
            // A string, or an encoding held in one (zipmap, ziplist, intset, listpack).
            return [.strings(1)]
        case 1, 2, 14:
            return [.lengthThenRepeat([.strings(1)])]
        case 3:
            return [.lengthThenRepeat([.strings(1), .doubleString])]
        case 4:
            return [.lengthThenRepeat([.strings(2)])]
        case 5:
            return [.lengthThenRepeat([.strings(1), .raw(8)])]
        case 18:
            // Quicklist 2: each node is its container type, then a listpack.
            return [.lengthThenRepeat([.length, .strings(1)])]
        case 15, 19, 21:
            let version = type == 15 ? 1 : type == 19 ? 2 : 3
            let consumer: [RDBTask] = [.strings(1), .raw(8)] + (version >= 3 ? [.raw(8)] : []) + [.lengthThenRepeat([.raw(16)])]
            let group: [RDBTask] = [.strings(1), .length, .length] + (version >= 2 ? [.length] : [])
                + [.lengthThenRepeat([.raw(16), .raw(8), .length]), .lengthThenRepeat(consumer)]
            return [.lengthThenRepeat([.strings(2)]), .length, .length, .length]
                + (version >= 2 ? Array(repeating: RDBTask.length, count: 5) : [])
                + [.lengthThenRepeat(group)]
        case 6, 7:
            throw .invalid("the RDB holds a module value, which cannot be checked without the module")
        default:
            throw .invalid("unknown RDB value type \(type)")
        }
    }

    /// Runs one task, pushing what remains of it.
    mutating func run(_ task: RDBTask) throws(RDBParse) {
        switch task {
        case .strings(let count):
            guard count > 0 else { return }
            try skipString()
            if count > 1 { pushTask(.strings(count - 1)) }
        case .raw(let count):
            _ = try take(count)
        case .length:
            _ = try length()
        case .lengthThenRepeat(let element):
            let count = try length()
            if count > 0 { pushTask(.repeating(count, element)) }
        case .repeating(let remaining, let element):
            if remaining > 1 { pushTask(.repeating(remaining - 1, element)) }
            for item in element.reversed() { pushTask(item) }
        case .doubleString:
            let size = try byte()
            if size < 253 { _ = try take(Int(size)) }
        }
    }
}
