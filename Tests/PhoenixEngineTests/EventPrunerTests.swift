import FoundationEssentials
import Logging
import PhoenixDomain
import PhoenixEngine
import PhoenixPersistence
import Synchronization
import Testing

private let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

/// The event history stays bounded: the leader prunes what is older than the retention.
@Suite struct EventPrunerTests {
    @Test func onlyTheLeaderPrunesAndOnlyEventsOlderThanTheRetention() async throws {
        let catalog = try await SQLiteJobCatalog.makeTemporary()
        let clock = ManualWallClock(SchedulerTests.start)
        for days in [100, 91, 89, 1] {
            _ = try await catalog.appendEvent(EngineEvent(time: clock.now().addingTimeInterval(-Double(days) * 86_400),
                                                          kind: "job.finished", subject: "job-\(days)", message: "\(days) days old"))
        }
        let leading = Mutex(false)
        let pruner = EventPruner(log: catalog, isLeader: { leading.withLock { $0 } }, retention: .seconds(90 * 86_400),
                                 interval: .milliseconds(10), now: { clock.now() }, logger: quiet)
        let follower = Task { try await pruner.run() }
        try await Task.sleep(for: .milliseconds(50))
        follower.cancel()
        _ = await follower.result
        #expect(try await catalog.events(EventQuery()).count == 4, "a follower prunes nothing")

        leading.withLock { $0 = true }
        #expect(await pruner.prune() == 2)
        #expect(try await catalog.events(EventQuery()).map(\.subject) == ["job-1", "job-89"])
    }
}
