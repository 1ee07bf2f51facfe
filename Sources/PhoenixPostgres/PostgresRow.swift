import FoundationEssentials

/// One result row with typed accessors by column name.
///
/// Every accessor returns nil for SQL `NULL` and throws `.columnNotFound` for an unknown column or
/// `.decodingFailed` when the text is not of the requested type.
public struct PostgresRow: Sendable {
    private let index: PostgresColumnIndex
    private let values: [String?]

    init(index: PostgresColumnIndex, values: [String?]) {
        self.index = index
        self.values = values
    }

    /// The column names, in result order.
    public var columns: [String] { index.names }

    /// The raw text of the column at `position`, or nil for `NULL`.
    public subscript(position: Int) -> String? { values[position] }

    /// True when the column holds SQL `NULL`.
    public func isNull(_ column: String) throws(PostgresError) -> Bool {
        try text(column, as: "isNull") == nil
    }

    /// The column's text as the server printed it.
    public func string(_ column: String) throws(PostgresError) -> String? {
        try text(column, as: "string")
    }

    /// The column as a 64-bit integer (`int2`, `int4`, `int8`, or integral text).
    public func int(_ column: String) throws(PostgresError) -> Int64? {
        try decode(column, as: "int") { Int64($0) }
    }

    /// The column as a boolean (`bool` prints `t` or `f`).
    public func bool(_ column: String) throws(PostgresError) -> Bool? {
        try decode(column, as: "bool") { $0 == "t" ? true : ($0 == "f" ? false : nil) }
    }

    /// The column as a double (`float4`, `float8`, `numeric`, integers; `NaN` and infinities too).
    public func double(_ column: String) throws(PostgresError) -> Double? {
        try decode(column, as: "double") { PostgresTextFormat.double(parsing: $0) }
    }

    /// The column as bytes, from `bytea` hex output (`\x00ff...`).
    public func bytes(_ column: String) throws(PostgresError) -> [UInt8]? {
        try decode(column, as: "bytes") { PostgresTextFormat.bytes(parsingHex: $0) }
    }

    /// The column as an instant, from `timestamptz` output in DateStyle ISO (the connection sets it).
    public func date(_ column: String) throws(PostgresError) -> Date? {
        try decode(column, as: "date") { PostgresTextFormat.date(parsingTimestamp: $0) }
    }

    // MARK: - Lookup

    private func text(_ column: String, as accessor: String) throws(PostgresError) -> String? {
        guard let position = index.position(of: column) else {
            throw PostgresError(.columnNotFound, operation: "row.\(accessor)", message: "no column \"\(column)\"")
        }
        return values[position]
    }

    private func decode<T>(
        _ column: String, as accessor: String, _ parse: (String) -> T?
    ) throws(PostgresError) -> T? {
        guard let text = try text(column, as: accessor) else { return nil }
        guard let value = parse(text) else {
            throw PostgresError(
                .decodingFailed, operation: "row.\(accessor)",
                message: "column \"\(column)\" is not a \(T.self)")
        }
        return value
    }
}
