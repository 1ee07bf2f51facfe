/// POSIX pax extended header records: `"<length> <key>=<value>\n"`, where `length` counts the
/// whole record including its own digits (POSIX.1-2008, pax, "pax Extended Header").
enum PAXRecords {
    /// Encodes `records` in the given order (the writer keeps it fixed so streams are stable).
    static func encode(_ records: [(key: String, value: String)]) -> [UInt8] {
        var out: [UInt8] = []
        for (key, value) in records {
            let body = key.utf8.count + value.utf8.count + 3  // space, '=', newline
            // The length includes its own digits: grow until the digit count stops changing.
            var length = body + 1
            while String(length).utf8.count + body != length { length = String(length).utf8.count + body }
            out += Array("\(length) \(key)=\(value)\n".utf8)
        }
        return out
    }

    /// Parses an extended header's data into key → raw value bytes; later records win.
    /// An empty value deletes the key, as POSIX says.
    /// - Parameter offset: The data's archive offset, for errors.
    /// - Throws: `.malformedExtendedHeader` for a bad length, a missing `=` or newline, or an
    ///   empty key.
    static func parse(_ data: ArraySlice<UInt8>, offset: Int64) throws(DirectorySourceError) -> [String: [UInt8]] {
        var records: [String: [UInt8]] = [:]
        var position = data.startIndex
        while position < data.endIndex {
            let recordOffset = offset + Int64(position - data.startIndex)
            func malformed(_ reason: String) -> DirectorySourceError {
                .malformedExtendedHeader(offset: recordOffset, reason: reason)
            }
            var cursor = position
            var length = 0
            while cursor < data.endIndex, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(data[cursor]) {
                guard cursor - position < 8 else { throw malformed("record length has too many digits") }
                length = length * 10 + Int(data[cursor] - UInt8(ascii: "0"))
                cursor += 1
            }
            guard cursor > position, cursor < data.endIndex, data[cursor] == UInt8(ascii: " ") else {
                throw malformed("record length is not a number")
            }
            let end = position + length
            guard end <= data.endIndex, end > cursor + 1 else { throw malformed("record length does not match the data") }
            guard data[end - 1] == UInt8(ascii: "\n") else { throw malformed("record does not end with a newline") }
            let record = data[(cursor + 1)..<(end - 1)]
            guard let equals = record.firstIndex(of: UInt8(ascii: "=")), equals > record.startIndex else {
                throw malformed("record has no key")
            }
            guard let key = String(validating: record[..<equals], as: UTF8.self) else { throw malformed("key is not UTF-8") }
            let value = Array(record[(equals + 1)...])
            records[key] = value.isEmpty ? nil : value
            position = end
        }
        return records
    }

    /// A decimal PAX number (`size`, `uid`): digits only, at most 18 so it fits `Int64`.
    static func integer(_ value: [UInt8]) -> Int64? {
        guard !value.isEmpty, value.count <= 18,
              value.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        else { return nil }
        return value.reduce(Int64(0)) { $0 * 10 + Int64($1 - UInt8(ascii: "0")) }
    }

    /// A PAX time (`mtime`): optional `-`, seconds, optional fraction. Whole seconds are kept,
    /// rounded toward negative infinity, since restores set whole seconds.
    static func seconds(_ value: [UInt8]) -> Int64? {
        let isNegative = value.first == UInt8(ascii: "-")
        let body = isNegative ? Array(value.dropFirst()) : value
        let parts = body.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = integer(Array(parts[0])) else { return nil }
        var hasFraction = false
        if parts.count == 2 {
            guard parts[1].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
            hasFraction = parts[1].contains { $0 != UInt8(ascii: "0") }
        }
        guard isNegative else { return whole }
        return -whole - (hasFraction ? 1 : 0)
    }
}
