extension UstarHeader {
    /// A header block as read, before PAX and GNU long-name overrides are applied.
    struct Decoded {
        var path: [UInt8]
        var typeFlag: UInt8
        var mode: UInt32
        var userID: Int64
        var groupID: Int64
        var size: Int64
        var modificationTime: Int64
        var linkName: [UInt8]
        var userName: [UInt8]
        var groupName: [UInt8]
    }

    /// Validates and decodes one non-zero header block.
    /// - Parameter offset: The block's archive offset, for errors.
    /// - Throws: `.badChecksum`, `.unsupportedFormat` (no ustar magic), `.badNumericField`.
    static func decode(_ block: ArraySlice<UInt8>, offset: Int64) throws(DirectorySourceError) -> Decoded {
        let base = block.startIndex
        func field(_ range: Range<Int>) -> ArraySlice<UInt8> {
            block[(base + range.lowerBound)..<(base + range.upperBound)]
        }
        // Only a time may be negative (GNU base-256 for dates before 1970).
        func number(_ range: Range<Int>, _ name: String, signed: Bool = false) throws(DirectorySourceError) -> Int64 {
            guard let value = TarNumber.parse(field(range)), signed || value >= 0 else {
                throw .badNumericField(field: name, offset: offset)
            }
            return value
        }
        // The checksum comes first: on a corrupt block every other field is noise.
        let sums = checksum(of: block)
        guard let stored = TarNumber.parse(field(Field.checksum)), stored == sums.unsigned || stored == sums.signed else {
            throw .badChecksum(offset: offset)
        }
        let magic = Array(field(Field.magic.lowerBound..<Field.version.upperBound))
        let isPOSIX = magic.prefix(6).elementsEqual(posixMagic.prefix(6))
        guard isPOSIX || magic == gnuMagic else { throw .unsupportedFormat(offset: offset) }

        var path = cString(field(Field.name))
        // GNU headers reuse the prefix area for atime/ctime: only POSIX ustar has a prefix.
        let prefix = isPOSIX ? cString(field(Field.prefix)) : []
        if !prefix.isEmpty { path = prefix + [UInt8(ascii: "/")] + path }
        return Decoded(
            path: path,
            typeFlag: block[base + Field.typeFlag],
            mode: UInt32(truncatingIfNeeded: try number(Field.mode, "mode") & 0o7777),
            userID: try number(Field.uid, "uid"),
            groupID: try number(Field.gid, "gid"),
            size: try number(Field.size, "size"),
            modificationTime: try number(Field.mtime, "mtime", signed: true),
            linkName: cString(field(Field.linkName)),
            userName: cString(field(Field.userName)),
            groupName: cString(field(Field.groupName)))
    }

    /// The bytes of a NUL-terminated (or full-width) text field.
    static func cString(_ field: ArraySlice<UInt8>) -> [UInt8] {
        Array(field.prefix { $0 != 0 })
    }
}
