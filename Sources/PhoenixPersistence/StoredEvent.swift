import PhoenixDomain

/// What both catalogs share about stored events: the severity filter and reading values back.
enum StoredEvent {
    /// The severities at least as severe as `minimum`, as stored.
    static func severities(atLeast minimum: EventSeverity) -> [String] {
        EventSeverity.allCases.filter { $0 >= minimum }.map(\.rawValue)
    }

    /// A stored severity; one written by a newer version is a storage error naming the event.
    static func severity(_ raw: String, of id: Int64) throws -> EventSeverity {
        guard let severity = EventSeverity(rawValue: raw) else {
            throw CatalogError(.storage, "the catalog holds an event this version cannot read",
                               detail: "event \(id): unknown severity \"\(raw)\"")
        }
        return severity
    }
}
