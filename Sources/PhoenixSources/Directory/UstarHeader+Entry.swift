extension UstarHeader {
    /// The header blocks for `entry`: a PAX `x` header first when some value does not fit
    /// ustar (non-ASCII or long names, sizes from 8 GiB, times before 1970 or after 2242,
    /// large ids), then the ustar header itself.
    /// - Throws: `.invalidEntry` for a path or name containing NUL, a negative size or id.
    static func blocks(for entry: TarEntry) throws(DirectorySourceError) -> [UInt8] {
        guard !entry.path.isEmpty, !entry.path.utf8.contains(0), !entry.linkTarget.utf8.contains(0),
              !entry.userName.utf8.contains(0), !entry.groupName.utf8.contains(0)
        else { throw .invalidEntry(path: entry.path, reason: "empty path or NUL byte in a name") }
        guard entry.size >= 0, entry.userID >= 0, entry.groupID >= 0 else {
            throw .invalidEntry(path: entry.path, reason: "negative size or id")
        }
        var fields = Fields(mode: entry.mode)
        var records: [(key: String, value: String)] = []

        // GNU tar marks directories with a trailing slash; readers strip it again.
        let path = entry.kind == .directory ? entry.path + "/" : entry.path
        if isPortable(path), let split = split(Array(path.utf8)) {
            (fields.prefix, fields.name) = split
        } else {
            records.append(("path", path))
            fields.name = fallback(path, width: Field.name.count)
        }
        switch entry.kind {
        case .file: fields.typeFlag = UInt8(ascii: "0")
        case .directory: fields.typeFlag = UInt8(ascii: "5")
        case .symlink: fields.typeFlag = UInt8(ascii: "2")
        }
        if entry.kind == .symlink {
            if isPortable(entry.linkTarget), entry.linkTarget.utf8.count <= Field.linkName.count {
                fields.linkName = Array(entry.linkTarget.utf8)
            } else {
                records.append(("linkpath", entry.linkTarget))
                fields.linkName = fallback(entry.linkTarget, width: Field.linkName.count)
            }
        }
        let size = entry.kind == .file ? entry.size : 0
        fields.size = fit(size, width: 12, key: "size", into: &records)
        fields.modificationTime = fit(entry.modificationTime, width: 12, key: "mtime", into: &records)
        fields.userID = fit(Int64(entry.userID), width: 8, key: "uid", into: &records)
        fields.groupID = fit(Int64(entry.groupID), width: 8, key: "gid", into: &records)
        fields.userName = name(entry.userName, key: "uname", into: &records)
        fields.groupName = name(entry.groupName, key: "gname", into: &records)

        let header = encode(fields)
        guard !records.isEmpty else { return header }
        let data = PAXRecords.encode(records)
        // A fixed name and the entry's own mtime keep the stream identical for an identical tree.
        let paxHeader = encode(Fields(
            name: Array("././@PaxHeader".utf8), size: Int64(data.count),
            modificationTime: max(0, min(entry.modificationTime, TarNumber.octalLimit(width: 12))),
            typeFlag: UInt8(ascii: "x")))
        return paxHeader + data + [UInt8](repeating: 0, count: padding(for: Int64(data.count))) + header
    }

    /// Zero bytes that round `size` up to a whole block.
    static func padding(for size: Int64) -> Int {
        Int((Int64(blockSize) - size % Int64(blockSize)) % Int64(blockSize))
    }

    /// ASCII without control characters: what every ustar reader shows the same way.
    private static func isPortable(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    /// The ustar field's stand-in when PAX carries the real value: readers without PAX
    /// support see a recognisable, truncated ASCII name.
    private static func fallback(_ text: String, width: Int) -> [UInt8] {
        Array(text.utf8.map { $0 >= 0x20 && $0 < 0x7F ? $0 : UInt8(ascii: "_") }.prefix(width))
    }

    private static func fit(
        _ value: Int64, width: Int, key: String, into records: inout [(key: String, value: String)]
    ) -> Int64 {
        if value >= 0, value <= TarNumber.octalLimit(width: width) { return value }
        records.append((key, String(value)))
        return 0
    }

    private static func name(_ text: String, key: String, into records: inout [(key: String, value: String)]) -> [UInt8] {
        if isPortable(text), text.utf8.count <= Field.userName.count { return Array(text.utf8) }
        records.append((key, text))
        return fallback(text, width: Field.userName.count)
    }
}
