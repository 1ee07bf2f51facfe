import FoundationEssentials
import PhoenixDomain
import Testing

extension JobCatalogContract {
    // MARK: - Event history

    static func eventsReadBackNewestFirstWithEveryField(makeCatalog: MakeCatalog) async throws {
        let catalog = try await makeCatalog()
        let first = EngineEvent(time: JobFixture.date(1, milliseconds: 7), kind: "job.started", subject: "job-1",
                                message: "backup job started on eu-1", details: ["dataset": "redis_data", "worker": "eu-1"])
        // Hostile text is data: quotes, SQL, JSON syntax, non-ASCII.
        let second = EngineEvent(time: JobFixture.date(2), kind: "job.finished", subject: "job-1", severity: .error,
                                 message: "failed: '; DROP TABLE events; -- ü \"x\"", details: ["error": "{\"a\": [1]}\n\t"])
        let third = EngineEvent(time: JobFixture.date(3), kind: "lease.acquired", subject: "automation", message: "b leads")

        let stored = [try await catalog.appendEvent(first), try await catalog.appendEvent(second), try await catalog.appendEvent(third)]
        #expect(stored[0].id > 0 && stored[0].id < stored[1].id && stored[1].id < stored[2].id)
        #expect(stored.map { var event = $0; event.id = 0; return event } == [first, second, third])
        #expect(try await catalog.events(EventQuery()) == stored.reversed())
        #expect(try await catalog.events(EventQuery(limit: 0)) == [])
    }

    static func eventFiltersAndCursorPagesCoverEveryEventOnce(makeCatalog: MakeCatalog) async throws {
        let catalog = try await makeCatalog()
        var stored: [EngineEvent] = []
        for index in 0..<9 {
            let severity: EventSeverity = [.info, .warning, .error][index % 3]
            stored.append(try await catalog.appendEvent(EngineEvent(
                time: JobFixture.date(index), kind: index % 2 == 0 ? "job.finished" : "lease.lost",
                subject: index < 5 ? "redis_data" : "redis", severity: severity, message: "event \(index)")))
        }
        let ids = { (query: EventQuery) in try await catalog.events(query).map(\.id) }
        let newestFirst = stored.reversed().map(\.id)

        #expect(try await ids(EventQuery(kind: "job.finished")) == newestFirst.filter { id in stored.first { $0.id == id }!.kind == "job.finished" })
        // A subject is matched whole: "redis" is not a prefix match of "redis_data".
        #expect(try await ids(EventQuery(subject: "redis")) == stored[5...].reversed().map(\.id))
        #expect(try await ids(EventQuery(minimumSeverity: .warning)).count == 6)
        #expect(try await ids(EventQuery(minimumSeverity: .error)) == [stored[8].id, stored[5].id, stored[2].id])
        #expect(try await ids(EventQuery(kind: "job.finished", subject: "redis_data", minimumSeverity: .error)) == [stored[2].id])
        #expect(try await ids(EventQuery(kind: "nothing")) == [])

        var seen: [Int64] = []
        var cursor: Int64?
        repeat {
            let page = try await ids(EventQuery(before: cursor, limit: 4))
            seen += page
            cursor = page.count == 4 ? page.last : nil
        } while cursor != nil
        #expect(seen == newestFirst)
    }

    static func pruningRemovesOnlyOlderEventsAndKeepsCursorsValid(makeCatalog: MakeCatalog) async throws {
        let catalog = try await makeCatalog()
        var stored: [EngineEvent] = []
        for index in 0..<6 {
            stored.append(try await catalog.appendEvent(EngineEvent(time: JobFixture.date(index * 10), kind: "job.started",
                                                                    subject: "job-\(index)", message: "started")))
        }
        #expect(try await catalog.pruneEvents(before: JobFixture.date(30)) == 3)
        #expect(try await catalog.events(EventQuery()).map(\.id) == stored[3...].reversed().map(\.id))
        #expect(try await catalog.pruneEvents(before: JobFixture.date(30)) == 0)
        // A cursor pointing at a pruned event still pages: it is a position, not a row.
        #expect(try await catalog.events(EventQuery(before: stored[1].id)) == [])
        #expect(try await catalog.events(EventQuery(before: stored[5].id)).map(\.id) == [stored[4].id, stored[3].id])
        // Ids keep growing after a prune: a new event never reuses a pruned one's place.
        let later = try await catalog.appendEvent(EngineEvent(time: JobFixture.date(99), kind: "k", subject: "s", message: "m"))
        #expect(later.id > stored[5].id)
    }

    static func concurrentAppendsGetDistinctIncreasingIDs(makeCatalog: MakeCatalog) async throws {
        let catalog = try await makeCatalog()
        let ids = try await withThrowingTaskGroup(of: Int64.self) { group in
            for index in 0..<40 {
                group.addTask {
                    try await catalog.appendEvent(EngineEvent(time: JobFixture.date(index), kind: "job.started",
                                                              subject: "job-\(index)", message: "started")).id
                }
            }
            return try await group.reduce(into: [Int64]()) { $0.append($1) }
        }
        #expect(Set(ids).count == 40)
        #expect(try await catalog.events(EventQuery(limit: 100)).map(\.id) == ids.sorted(by: >))
    }
}
