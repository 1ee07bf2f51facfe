extension TarReader {
    /// Advances over buffered bytes until an event is ready or more input is needed.
    mutating func step() throws(DirectorySourceError) -> Event? {
        let blockSize = UstarHeader.blockSize
        while true {
            switch state {
            case .failed(let error):
                throw error
            case .ended:
                // GNU tar pads archives to 10 KiB records with zeros; anything else is suspect.
                let start = offset
                let rest = take(available)
                if let bad = rest.firstIndex(where: { $0 != 0 }) {
                    throw .dataAfterEnd(offset: start + Int64(bad - rest.startIndex))
                }
                return nil
            case .secondZeroBlock(let firstOffset):
                guard available >= blockSize else { return nil }
                guard UstarHeader.isZero(take(blockSize)) else { throw .malformedEndOfArchive(offset: firstOffset) }
                state = .ended
                return .end
            case .header:
                guard available >= blockSize else { return nil }
                let headerOffset = offset
                let block = take(blockSize)
                if UstarHeader.isZero(block) {
                    guard pending.isEmpty else {
                        throw .malformedExtendedHeader(offset: headerOffset, reason: "extended header not followed by an entry")
                    }
                    state = .secondZeroBlock(firstOffset: headerOffset)
                } else if let event = try header(block, offset: headerOffset) {
                    return event
                }
            case .extended(let kind, let size, let headerOffset):
                let total = Int(size) + UstarHeader.padding(for: size)
                guard available >= total else { return nil }
                let data = take(total).prefix(Int(size))
                try applyExtended(kind, data, offset: headerOffset + Int64(blockSize))
                state = .header
            case .content(let remaining, let padding, let isEmitted):
                if remaining > 0 {
                    guard available > 0 else { return nil }
                    let piece = take(Int(min(Int64(available), remaining)))
                    state = .content(remaining: remaining - Int64(piece.count), padding: padding, isEmitted: isEmitted)
                    if isEmitted { return .content(piece) }
                    continue
                }
                let skipped = Int(min(Int64(available), padding))
                _ = take(skipped)
                guard Int64(skipped) == padding else {
                    state = .content(remaining: 0, padding: padding - Int64(skipped), isEmitted: isEmitted)
                    return nil
                }
                state = .header
                return .entryEnd
            }
        }
    }

    /// Handles a non-zero header block: an extended header is buffered, anything else becomes
    /// an entry.
    private mutating func header(
        _ block: ArraySlice<UInt8>, offset headerOffset: Int64
    ) throws(DirectorySourceError) -> Event? {
        let decoded = try UstarHeader.decode(block, offset: headerOffset)
        let extended: ExtendedKind? = switch decoded.typeFlag {
        case UInt8(ascii: "x"): .pax
        case UInt8(ascii: "g"): .paxGlobal
        case UInt8(ascii: "L"): .longName
        case UInt8(ascii: "K"): .longLink
        default: nil
        }
        if let extended {
            guard decoded.size <= limits.maxExtendedHeaderSize else {
                throw .extendedHeaderTooLarge(offset: headerOffset, size: decoded.size)
            }
            state = .extended(extended, size: decoded.size, offset: headerOffset)
            return nil
        }
        let (entry, dataSize) = try makeEntry(decoded, offset: headerOffset)
        pending = PendingOverrides()
        guard dataSize <= limits.maxEntrySize else { throw .entryTooLarge(path: entry.path, size: dataSize) }
        // Directories and links with data (rare, legal) have it skipped, not handed out.
        let padding = Int64(UstarHeader.padding(for: dataSize))
        state = .content(remaining: dataSize, padding: padding, isEmitted: entry.kind == .file)
        return .entry(entry)
    }

    /// Records an extended header's data for the next entry.
    private mutating func applyExtended(
        _ kind: ExtendedKind, _ data: ArraySlice<UInt8>, offset: Int64
    ) throws(DirectorySourceError) {
        switch kind {
        case .pax:
            for (key, value) in try PAXRecords.parse(data, offset: offset) { pending.records[key] = value }
        case .paxGlobal:
            // Validated so a corrupt archive still fails; applying globals is not supported.
            _ = try PAXRecords.parse(data, offset: offset)
        case .longName:
            pending.longName = UstarHeader.cString(data)
        case .longLink:
            pending.longLink = UstarHeader.cString(data)
        }
    }
}
