import Glibc

/// The one error type of the `Directory` source: tar framing, unsafe restore paths and failed
/// system calls.
///
/// `description` is safe to show an API client: it names the path (quoted, control characters
/// escaped, cut to 200 characters) or the archive byte offset, never file contents nor PAX values
/// other than paths. `debugDescription` adds `strerror` text for logs.
///
/// ```swift
/// do {
///     try reader.finish()
/// } catch .truncated(let offset, _) {
///     // the upload stopped early: the archive ends at `offset`
/// }
/// ```
public enum DirectorySourceError: Error, Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// Where a truncated archive stopped.
    public enum TruncationPoint: String, Sendable, Hashable {
        /// Inside a 512-byte header block.
        case header
        /// Inside an entry's content, its padding, or an extended header's data.
        case content
        /// After the last entry: the two zero blocks that end an archive are missing.
        case endOfArchive
    }

    /// Why a restore refused an entry's path.
    public enum UnsafePathReason: String, Sendable, Hashable {
        case absolute = "absolute path"
        case parentReference = "'..' component"
        case throughSymlink = "path goes through a symbolic link"
        case invalidName = "empty name or NUL byte"
    }

    // MARK: - Archive framing (reader)

    /// A header's checksum does not match its bytes (or is not a number).
    case badChecksum(offset: Int64)
    /// A header block lacks the ustar magic: not a POSIX/GNU tar archive, or not at a header.
    case unsupportedFormat(offset: Int64)
    /// A numeric header field holds something other than octal or base-256 digits.
    case badNumericField(field: String, offset: Int64)
    /// An entry declares more content than `TarReader.Limits.maxEntrySize` allows.
    case entryTooLarge(path: String, size: Int64)
    /// A PAX or GNU long-name header declares more than `maxExtendedHeaderSize` bytes.
    case extendedHeaderTooLarge(offset: Int64, size: Int64)
    /// A PAX record is malformed; `reason` is a fixed phrase, never the record's text.
    case malformedExtendedHeader(offset: Int64, reason: String)
    /// An entry's path, link target or name is not valid UTF-8.
    case invalidPathEncoding(offset: Int64)
    /// Hard links, devices, FIFOs, sparse files and unknown types are refused, not skipped.
    case unsupportedEntryType(path: String, type: String)
    /// The archive ended before `point`.
    case truncated(offset: Int64, point: TruncationPoint)
    /// A zero block not followed by a second one.
    case malformedEndOfArchive(offset: Int64)
    /// Non-zero bytes after the end-of-archive blocks.
    case dataAfterEnd(offset: Int64)

    // MARK: - Entries (writer, restore, verify)

    /// An entry given to `TarWriter` is inconsistent (content longer than its size, say).
    case invalidEntry(path: String, reason: String)
    /// A restore refused a path.
    case unsafePath(path: String, reason: UnsafePathReason)
    /// The same path appears twice in one archive.
    case duplicateEntry(path: String)
    /// The restore target already has something at this path and overwriting was not asked for.
    case alreadyExists(path: String)

    // MARK: - System

    /// A system call failed; `errno` was read straight after it.
    case system(operation: String, path: String, errno: Int32)

    /// A client-safe sentence.
    public var description: String {
        switch self {
        case .badChecksum(let offset): "tar header checksum mismatch at byte offset \(offset)"
        case .unsupportedFormat(let offset): "not a ustar header at byte offset \(offset)"
        case .badNumericField(let field, let offset): "tar header field '\(field)' is not a number at byte offset \(offset)"
        case .entryTooLarge(let path, let size): "tar entry \(Self.quoted(path)) declares an implausible size of \(size) bytes"
        case .extendedHeaderTooLarge(let offset, let size):
            "extended tar header at byte offset \(offset) declares \(size) bytes, over the limit"
        case .malformedExtendedHeader(let offset, let reason): "malformed PAX header at byte offset \(offset): \(reason)"
        case .invalidPathEncoding(let offset): "tar entry at byte offset \(offset) has a name that is not UTF-8"
        case .unsupportedEntryType(let path, let type): "tar entry \(Self.quoted(path)) is a \(type), which is not supported"
        case .truncated(let offset, let point): "tar archive truncated at byte offset \(offset) (inside \(point.rawValue))"
        case .malformedEndOfArchive(let offset): "lone zero block at byte offset \(offset)"
        case .dataAfterEnd(let offset): "unexpected data after the end of the tar archive at byte offset \(offset)"
        case .invalidEntry(let path, let reason): "tar entry \(Self.quoted(path)) is invalid: \(reason)"
        case .unsafePath(let path, let reason): "refused to restore \(Self.quoted(path)): \(reason.rawValue)"
        case .duplicateEntry(let path): "tar entry \(Self.quoted(path)) appears twice"
        case .alreadyExists(let path): "\(Self.quoted(path)) already exists in the restore target"
        case .system(let operation, let path, let code): "\(operation) failed for \(Self.quoted(path)) (errno \(code))"
        }
    }

    /// The description plus the C library's text for `errno`, for logs.
    public var debugDescription: String {
        guard case .system(_, _, let code) = self, let text = strerror(code) else { return description }
        return "\(description): \(String(cString: text))"
    }

    /// The case name (`"badChecksum"`), for the `error.type` log key.
    var caseName: String {
        Mirror(reflecting: self).children.first?.label ?? "\(self)"
    }

    /// `path` in quotes, with control characters escaped and the length capped, so a hostile
    /// archive cannot forge log lines or flood a response.
    static func quoted(_ path: String) -> String {
        var text = ""
        for scalar in path.unicodeScalars.prefix(200) {
            if scalar.value < 0x20 || scalar.value == 0x7F || scalar == "\"" || scalar == "\\" {
                text += scalar.escaped(asASCII: true)
            } else {
                text.unicodeScalars.append(scalar)
            }
        }
        return "\"" + text + (path.unicodeScalars.count > 200 ? "…" : "") + "\""
    }
}
