/// One RESP2 reply, copied out of hiredis into Swift values.
///
/// Bulk strings stay bytes (`[UInt8]`): keys and `DUMP` payloads may hold any byte, NUL and
/// `\r\n` included. Status and error replies are single lines of text by protocol, so they are
/// `String`s.
public enum RedisValue: Sendable, Equatable {
    /// A bulk string (`$`), binary-safe.
    case string([UInt8])
    /// An integer reply (`:`).
    case integer(Int64)
    /// A multi-bulk reply (`*`), such as `LRANGE` or `SCAN` return.
    case array([RedisValue])
    /// A null bulk string or null array (`$-1`, `*-1`), such as `GET` of a missing key.
    case null
    /// A status line (`+OK`, `+PONG`).
    case status(String)
    /// An error reply (`-ERR ...`, `-WRONGTYPE ...`). Returned, not thrown: in a pipeline one
    /// command can fail while the others succeed.
    case error(String)
}

extension RedisValue {
    /// The text of a bulk string (decoded as UTF-8, invalid bytes replaced) or of a status line.
    public var text: String? {
        switch self {
        case .string(let bytes): String(decoding: bytes, as: UTF8.self)
        case .status(let line): line
        default: nil
        }
    }

    /// The value of an integer reply, or of a bulk string that holds a decimal integer (as `GET`
    /// of a counter returns it).
    public var int: Int64? {
        switch self {
        case .integer(let value): value
        case .string(let bytes): Int64(String(decoding: bytes, as: UTF8.self))
        default: nil
        }
    }

    /// The bytes of a bulk string.
    public var bytes: [UInt8]? {
        guard case .string(let bytes) = self else { return nil }
        return bytes
    }

    /// The elements of a multi-bulk reply.
    public var array: [RedisValue]? {
        guard case .array(let elements) = self else { return nil }
        return elements
    }

    /// True for an error reply.
    public var isError: Bool {
        guard case .error = self else { return false }
        return true
    }
}
