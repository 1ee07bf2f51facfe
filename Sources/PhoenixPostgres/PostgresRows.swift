/// The rows of one statement's result, copied out of the `PGresult` before it was freed.
///
/// ```swift
/// let rows = try await connection.query("SELECT id, size FROM backups WHERE dataset = $1", [.text(name)])
/// for row in rows {
///     let id = try row.string("id")
///     let size = try row.int("size")
/// }
/// ```
public struct PostgresRows: RandomAccessCollection, Sendable {
    /// The column names, in result order.
    public var columns: [String] { index.names }
    /// The number of rows the statement affected (`INSERT`, `UPDATE`, `DELETE`, `SELECT`, ...), or 0.
    public let affectedRows: Int
    /// The server's command tag: `SELECT 3`, `INSERT 0 1`, `COMMIT`, or `ROLLBACK` for a `COMMIT`
    /// that found the transaction already failed.
    public let commandTag: String
    private let index: PostgresColumnIndex
    private let values: [[String?]]

    init(columns: [String], values: [[String?]], affectedRows: Int, commandTag: String) {
        self.index = PostgresColumnIndex(names: columns)
        self.values = values
        self.affectedRows = affectedRows
        self.commandTag = commandTag
    }

    /// The first row's position, always 0.
    public var startIndex: Int { 0 }
    /// One past the last row.
    public var endIndex: Int { values.count }

    /// The row at `position`.
    public subscript(position: Int) -> PostgresRow {
        PostgresRow(index: index, values: values[position])
    }
}

/// Column name → position, built once per result and shared by its rows.
struct PostgresColumnIndex: Sendable {
    let names: [String]
    private let positions: [String: Int]

    init(names: [String]) {
        self.names = names
        // With duplicate names (`SELECT 1 AS a, 2 AS a`) the first column wins, as in libpq's PQfnumber.
        self.positions = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }

    func position(of name: String) -> Int? { positions[name] }
}
