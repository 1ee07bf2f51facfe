extension TarReader {
    /// Builds the entry from a decoded header and the pending PAX/GNU overrides.
    /// - Returns: The entry and how many data bytes follow its header.
    func makeEntry(_ header: UstarHeader.Decoded, offset: Int64) throws(DirectorySourceError) -> (TarEntry, Int64) {
        let records = pending.records
        func malformed(_ reason: String) -> DirectorySourceError {
            .malformedExtendedHeader(offset: offset, reason: reason)
        }
        func text(_ bytes: [UInt8]) throws(DirectorySourceError) -> String {
            guard let text = String(validating: bytes, as: UTF8.self) else { throw .invalidPathEncoding(offset: offset) }
            return text
        }
        // PAX wins over GNU long names, which win over the ustar fields.
        var path = try text(records["path"] ?? pending.longName ?? header.path)
        var kind = try Self.kind(header.typeFlag, path: path)
        // Pre-POSIX archives mark directories only by a trailing slash on a regular entry.
        if kind == .file, header.typeFlag != UInt8(ascii: "7"), path.hasSuffix("/") { kind = .directory }
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        if records.keys.contains(where: { $0.hasPrefix("GNU.sparse.") }) {
            throw .unsupportedEntryType(path: path, type: "GNU sparse file")
        }

        var entry = TarEntry(kind: kind, path: path, mode: header.mode)
        var dataSize = header.size
        if let value = records["size"] {
            guard let size = PAXRecords.integer(value) else { throw malformed("size is not a decimal number") }
            dataSize = size
        }
        entry.size = kind == .file ? dataSize : 0
        entry.modificationTime = header.modificationTime
        if let value = records["mtime"] {
            guard let seconds = PAXRecords.seconds(value) else { throw malformed("mtime is not a number") }
            entry.modificationTime = seconds
        }
        entry.userID = Int(header.userID)
        entry.groupID = Int(header.groupID)
        for (key, id) in [("uid", \TarEntry.userID), ("gid", \TarEntry.groupID)] {
            guard let value = records[key] else { continue }
            guard let number = PAXRecords.integer(value) else { throw malformed("\(key) is not a decimal number") }
            entry[keyPath: id] = Int(number)
        }
        // Owner names are informational: undecodable bytes are replaced, not fatal.
        entry.userName = String(decoding: records["uname"] ?? header.userName, as: UTF8.self)
        entry.groupName = String(decoding: records["gname"] ?? header.groupName, as: UTF8.self)
        if kind == .symlink {
            entry.linkTarget = try text(records["linkpath"] ?? pending.longLink ?? header.linkName)
        }
        return (entry, dataSize)
    }

    /// The entry kind for a typeflag, or the reason it is refused.
    private static func kind(_ flag: UInt8, path: String) throws(DirectorySourceError) -> TarEntry.Kind {
        let name: String
        switch flag {
        case 0, UInt8(ascii: "0"), UInt8(ascii: "7"): return .file
        case UInt8(ascii: "5"): return .directory
        case UInt8(ascii: "2"): return .symlink
        case UInt8(ascii: "1"): name = "hard link"
        case UInt8(ascii: "3"): name = "character device"
        case UInt8(ascii: "4"): name = "block device"
        case UInt8(ascii: "6"): name = "FIFO"
        case UInt8(ascii: "S"): name = "GNU sparse file"
        case UInt8(ascii: "D"): name = "GNU directory dump"
        case UInt8(ascii: "V"): name = "volume label"
        case UInt8(ascii: "M"): name = "multi-volume continuation"
        default: name = "entry of unknown type \(flag)"
        }
        throw .unsupportedEntryType(path: path, type: name)
    }
}
