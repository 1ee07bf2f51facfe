import CLibPQ

extension PostgresRows {
    /// Copies every value out of `result`; the caller still owns (and clears) it.
    init(copying result: OpaquePointer) {
        let rowCount = PQntuples(result)
        let columnCount = PQnfields(result)
        let columns = (0..<columnCount).map { column in
            PQfname(result, column).map { String(cString: $0) } ?? "?column?"
        }
        let values = (0..<rowCount).map { row in
            (0..<columnCount).map { column -> String? in
                guard PQgetisnull(result, row, column) == 0, let value = PQgetvalue(result, row, column) else {
                    return nil
                }
                return String(cString: value)
            }
        }
        let affected = PQcmdTuples(result).flatMap { Int(String(cString: $0)) } ?? 0
        let tag = PQcmdStatus(result).map { String(cString: $0) } ?? ""
        self.init(columns: columns, values: values, affectedRows: affected, commandTag: tag)
    }
}
