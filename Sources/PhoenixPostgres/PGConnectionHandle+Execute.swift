import CLibPQ
import Glibc

extension PGConnectionHandle {
    /// Runs one statement with `PQexecParams` (text parameters, text results) and copies its rows
    /// out. Blocks the calling thread until the server answers.
    /// - Throws: `.invalidParameter`, `.queryFailed` with the SQLSTATE, `.connectionLost` when the
    ///   connection broke, `.protocolViolation` for a `COPY` or a malformed response.
    func execute(_ sql: String, _ parameters: [PostgresValue]) throws(PostgresError) -> PostgresRows {
        guard !sql.utf8.contains(0) else {
            throw PostgresError(.invalidParameter, operation: "PQexecParams", message: "SQL contains a NUL byte")
        }
        var texts: [String?] = []
        for (index, parameter) in parameters.enumerated() {
            texts.append(try parameter.textFormat(index: index))
        }
        let types = parameters.map { Oid($0.typeOID) }
        let result = try withCStrings(texts) { values in
            PQexecParams(raw, sql, Int32(values.count), types, values, nil, nil, 0)
        }
        guard let result else {
            throw connectionError(operation: "PQexecParams")
        }
        defer { PQclear(result) }
        return try rows(from: result, operation: "PQexecParams")
    }

    /// `name` quoted as an SQL identifier by `PQescapeIdentifier` (for `LISTEN`, which takes no `$1`).
    func quotedIdentifier(_ name: String) throws(PostgresError) -> String {
        guard !name.utf8.contains(0), let quoted = PQescapeIdentifier(raw, name, name.utf8.count) else {
            throw PostgresError(.invalidParameter, operation: "PQescapeIdentifier", message: errorMessage)
        }
        defer { PQfreemem(quoted) }
        return String(cString: quoted)
    }

    /// An error for a call that returned no result: libpq's message, read right away.
    func connectionError(operation: String, file: String = #fileID, line: Int = #line) -> PostgresError {
        let message = errorMessage
        return PostgresError(
            isOK ? .queryFailed : .connectionLost, operation: operation, message: message, file: file, line: line)
    }

    private func rows(from result: OpaquePointer, operation: String) throws(PostgresError) -> PostgresRows {
        let status = PQresultStatus(result)
        switch status {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return PostgresRows(copying: result)
        case PGRES_FATAL_ERROR, PGRES_NONFATAL_ERROR:
            throw error(from: result, operation: operation)
        default:
            // COPY IN/OUT/BOTH would leave the connection in copy mode; the caller closes it.
            let name = PQresStatus(status).map { String(cString: $0) } ?? "\(status.rawValue)"
            throw PostgresError(.protocolViolation, operation: operation, message: "unsupported result status \(name)")
        }
    }

    /// The server's error fields. The primary message, detail and hint go to `message` (for logs);
    /// the statement position and the `LINE n:` excerpt of the SQL are left out.
    private func error(from result: OpaquePointer, operation: String) -> PostgresError {
        func field(_ code: Unicode.Scalar) -> String? {
            PQresultErrorField(result, Int32(UInt8(ascii: code))).map { String(cString: $0) }
        }
        var message = [field("V") ?? "ERROR", field("M") ?? errorMessage].joined(separator: ": ")
        if let detail = field("D") { message += " DETAIL: \(detail)" }
        if let hint = field("H") { message += " HINT: \(hint)" }
        // A FATAL error (pg_terminate_backend, server shutdown) also closes the connection.
        return PostgresError(isOK ? .queryFailed : .connectionLost, sqlState: field("C"), operation: operation, message: message)
    }

    /// Calls `body` with NUL-terminated copies of `strings` (nil stays a NULL pointer).
    private func withCStrings<R>(
        _ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> R
    ) throws(PostgresError) -> R {
        let copies = strings.map { $0.map { strdup($0) } }
        defer { for case let copy? in copies { free(copy) } }
        guard !copies.contains(where: { $0 == .some(nil) }) else {
            throw PostgresError(.invalidParameter, operation: "strdup", message: "out of memory")
        }
        return body(copies.map { $0.flatMap { $0.map { UnsafePointer($0) } } })
    }
}
