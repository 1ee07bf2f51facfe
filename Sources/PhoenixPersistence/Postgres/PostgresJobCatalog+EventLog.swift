import FoundationEssentials
import PhoenixDomain
import PhoenixPostgres

extension PostgresJobCatalog: EventLog {
    private typealias Rows = PostgresJobRows

    public func appendEvent(_ event: EngineEvent) async throws -> EngineEvent {
        let schema = schema
        let rows = try await withConnection("record the event") { connection in
            try await connection.query(
                """
                INSERT INTO \(schema).events (time, kind, subject, severity, message, details)
                VALUES (\(Rows.at(1)), $2, $3, $4, $5, $6::jsonb) RETURNING id
                """,
                [.int(event.time.unixMillis), .text(event.kind), .text(event.subject), .text(event.severity.rawValue),
                 .text(event.message), .text(StoredJSONMap.encode(event.details))])
        }
        guard let id = try rows.first?.int("id") else {
            throw CatalogError(.storage, "could not record the event", detail: "INSERT returned no id")
        }
        var stored = event
        stored.id = id
        return stored
    }

    public func events(_ query: EventQuery) async throws -> [EngineEvent] {
        var conditions = ["true"]
        var parameters: [PostgresValue] = []
        func add(_ condition: (Int) -> String, _ value: PostgresValue) {
            parameters.append(value)
            conditions.append(condition(parameters.count))
        }
        if let kind = query.kind { add({ "kind = $\($0)" }, .text(kind)) }
        if let subject = query.subject { add({ "subject = $\($0)" }, .text(subject)) }
        if let minimum = query.minimumSeverity {
            let severities = StoredEvent.severities(atLeast: minimum).joined(separator: ",")
            add({ "severity = ANY (string_to_array($\($0), ','))" }, .text(severities))
        }
        if let before = query.before { add({ "id < $\($0)" }, .int(before)) }
        parameters.append(.int(Int64(max(query.limit, 0))))
        let sql = """
            SELECT id, \(Rows.millis("time")), kind, subject, severity, message, details::text AS details
            FROM \(schema).events WHERE \(conditions.joined(separator: " AND ")) ORDER BY id DESC LIMIT $\(parameters.count)
            """
        let bound = parameters
        let rows = try await withConnection("list events") { connection in try await connection.query(sql, bound) }
        return try rows.map(Self.decodeEvent)
    }

    public func pruneEvents(before cutoff: Date) async throws -> Int {
        let schema = schema
        return try await withConnection("prune events") { connection in
            try await connection.execute("DELETE FROM \(schema).events WHERE time < \(Rows.at(1))", [.int(cutoff.unixMillis)])
        }
    }

    private static func decodeEvent(_ row: PostgresRow) throws -> EngineEvent {
        guard let id = try row.int("id"), let time = try row.int("time"), let kind = try row.string("kind"),
              let subject = try row.string("subject"), let severity = try row.string("severity"),
              let message = try row.string("message"), let details = try row.string("details") else {
            throw CatalogError(.storage, "the catalog holds an event this version cannot read", detail: "NULL in events")
        }
        return EngineEvent(id: id, time: Date(unixMillis: time), kind: kind, subject: subject,
                           severity: try StoredEvent.severity(severity, of: id), message: message,
                           details: try StoredJSONMap.decode(details, of: "event \(id)"))
    }
}
