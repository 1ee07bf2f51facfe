import FoundationEssentials

/// A statement parameter, sent in PostgreSQL's text format as `$1`, `$2`, ...
///
/// Every case but `text` and `null` also tells the server its type (`int8`, `bool`, `float8`,
/// `bytea`, `timestamptz`), so `SELECT $1` works without a cast. `text` is sent untyped, so the
/// server infers it from context and the same value can fill a `uuid`, `jsonb` or enum column.
/// Because `int` is typed `int8`, a function that only takes `integer` needs a cast:
/// `pg_terminate_backend($1::int4)` (operators and columns convert on their own).
///
/// ```swift
/// try await connection.query(
///     "SELECT id FROM jobs WHERE dataset = $1 AND created_at > $2",
///     [.text("orders"), .date(since)]
/// )
/// ```
public enum PostgresValue: Sendable, Hashable {
    /// SQL `NULL`.
    case null
    /// Text, sent untyped: the server infers the type from context.
    case text(String)
    /// A 64-bit integer, sent as `int8`.
    case int(Int64)
    /// A boolean, sent as `bool`.
    case bool(Bool)
    /// A double, sent as `float8` (`NaN` and infinities included).
    case double(Double)
    /// Bytes, sent as `bytea` in hex format (`\x...`); zero bytes are fine.
    case bytes([UInt8])
    /// An instant, sent as an ISO-8601 `timestamptz` in UTC with microseconds.
    case date(Date)
}

extension PostgresValue {
    /// The parameter's type OID for `PQexecParams` (0: let the server infer it).
    /// OIDs from `src/include/catalog/pg_type.dat`; they are fixed across server versions.
    var typeOID: UInt32 {
        switch self {
        case .null, .text: 0
        case .int: 20  // int8
        case .bool: 16  // bool
        case .double: 701  // float8
        case .bytes: 17  // bytea
        case .date: 1184  // timestamptz
        }
    }

    /// The value in PostgreSQL's text input format, or nil for `NULL`.
    /// - Throws: `.invalidParameter` for text with a NUL byte, which libpq would silently cut.
    func textFormat(index: Int) throws(PostgresError) -> String? {
        switch self {
        case .null:
            return nil
        case .text(let string):
            guard !string.utf8.contains(0) else {
                throw PostgresError(
                    .invalidParameter, operation: "PostgresValue.text",
                    message: "parameter $\(index + 1) contains a NUL byte")
            }
            return string
        case .int(let value):
            return String(value)
        case .bool(let value):
            return value ? "t" : "f"
        case .double(let value):
            return PostgresTextFormat.double(value)
        case .bytes(let bytes):
            return PostgresTextFormat.byteaHex(bytes)
        case .date(let date):
            return PostgresTextFormat.timestamp(date)
        }
    }
}
