import FoundationEssentials
import GRDB
import PhoenixDomain

extension SQLiteJobCatalog: EventLog {
    public func appendEvent(_ event: EngineEvent) async throws -> EngineEvent {
        try await write("record the event") { db in
            try db.execute(
                sql: "INSERT INTO events (time, kind, subject, severity, message, details) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [event.time.unixMillis, event.kind, event.subject, event.severity.rawValue, event.message,
                            StoredJSONMap.encode(event.details)])
            var stored = event
            stored.id = db.lastInsertedRowID
            return stored
        }
    }

    public func events(_ query: EventQuery) async throws -> [EngineEvent] {
        try await read("list events") { db in
            var conditions = ["1 = 1"]
            var arguments = StatementArguments()
            if let kind = query.kind {
                conditions.append("kind = ?")
                arguments += [kind]
            }
            if let subject = query.subject {
                conditions.append("subject = ?")
                arguments += [subject]
            }
            if let minimum = query.minimumSeverity {
                let severities = StoredEvent.severities(atLeast: minimum)
                conditions.append("severity IN (\(severities.map { _ in "?" }.joined(separator: ", ")))")
                arguments += StatementArguments(severities)
            }
            if let before = query.before {
                conditions.append("id < ?")
                arguments += [before]
            }
            arguments += [max(query.limit, 0)]
            let rows = try Row.fetchAll(
                db, sql: """
                    SELECT id, time, kind, subject, severity, message, details FROM events
                    WHERE \(conditions.joined(separator: " AND ")) ORDER BY id DESC LIMIT ?
                    """, arguments: arguments)
            return try rows.map { row in
                let id: Int64 = try row.decode(forColumn: "id")
                return EngineEvent(
                    id: id, time: Date(unixMillis: try row.decode(forColumn: "time")), kind: try row.decode(forColumn: "kind"),
                    subject: try row.decode(forColumn: "subject"),
                    severity: try StoredEvent.severity(try row.decode(forColumn: "severity"), of: id),
                    message: try row.decode(forColumn: "message"),
                    details: try StoredJSONMap.decode(try row.decode(forColumn: "details"), of: "event \(id)"))
            }
        }
    }

    public func pruneEvents(before cutoff: Date) async throws -> Int {
        try await write("prune events") { db in
            try db.execute(sql: "DELETE FROM events WHERE time < ?", arguments: [cutoff.unixMillis])
            return db.changesCount
        }
    }
}
