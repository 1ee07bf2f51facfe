import FoundationEssentials
import Logging
import PhoenixDomain
import PhoenixEngine
import PhoenixPersistence
import Synchronization
import Testing

private let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

/// A wall clock the test moves by hand.
final class ManualWallClock: Sendable {
    private let value: Mutex<Date>
    init(_ start: Date) { value = Mutex(start) }
    func now() -> Date { value.withLock { $0 } }
    func advance(by seconds: TimeInterval) { value.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

@Suite struct SchedulerTests {
    static let start = Date(timeIntervalSince1970: 1_780_000_000)  // 2026-05-28T20:26:40Z

    @Test func aSlotIsQueuedOnceEvenWhenEnqueuedTwice() async throws {
        let catalog = try await SQLiteJobCatalog.makeTemporary()
        let clock = ManualWallClock(Self.start)
        let entry = Scheduler.Entry(dataset: "redis_data", schedule: try CronSchedule(parsing: "*/15 * * * *"))
        let scheduler = Scheduler(entries: [entry], catalog: catalog, now: { clock.now() }, logger: quiet)
        let slot = try #require(entry.schedule.nextFire(after: Self.start))
        try await scheduler.enqueueForTests(entry, fire: slot)
        try await scheduler.enqueueForTests(entry, fire: slot)
        let jobs = try await catalog.list(JobQuery(kind: .backup, dataset: "redis_data"))
        #expect(jobs.count == 1)
        #expect(jobs.first?.trigger == "schedule")
    }

    @Test func missedSlotsAfterDowntimeAreCaughtUpOnceAndCounted() async throws {
        let catalog = try await SQLiteJobCatalog.makeTemporary()
        let clock = ManualWallClock(Self.start)
        let entry = Scheduler.Entry(dataset: "redis_data", schedule: try CronSchedule(parsing: "*/15 * * * *"))
        let scheduler = Scheduler(entries: [entry], catalog: catalog, now: { clock.now() }, logger: quiet)
        let slot = try #require(entry.schedule.nextFire(after: Self.start))
        try await scheduler.enqueueForTests(entry, fire: slot)
        clock.advance(by: 3 * 3600)  // down from 20:30 to 23:26:40: the slots 20:45 ... 23:15 are missed
        try await scheduler.catchUp(entry)
        try await scheduler.catchUp(entry)  // a second start must not queue it again
        let jobs = try await catalog.list(JobQuery(kind: .backup, dataset: "redis_data"))
        #expect(jobs.count == 2)
        #expect(jobs.first?.trigger == "schedule (caught up; 11 missed)")
    }

    @Test func theServiceQueuesTheNextSlotWhenItComes() async throws {
        let catalog = try await SQLiteJobCatalog.makeTemporary()
        let clock = ManualWallClock(Self.start)
        let entry = Scheduler.Entry(dataset: "metrics", schedule: try CronSchedule(parsing: "0 * * * *"))
        // The injected sleep moves the manual clock instead of waiting.
        let scheduler = Scheduler(entries: [entry], catalog: catalog, now: { clock.now() },
                                  sleep: { duration in
                                      clock.advance(by: Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
                                      await Task.yield()
                                  }, logger: quiet)
        let service = Task { try await scheduler.run() }
        let deadline = ContinuousClock.now + .seconds(10)
        while try await catalog.list(JobQuery(dataset: "metrics")).count < 3 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        service.cancel()
        _ = await service.result
        let jobs = try await catalog.list(JobQuery(dataset: "metrics", limit: 3))
        #expect(jobs.count == 3)
        let slots = jobs.compactMap(\.idempotencyKey).sorted()
        #expect(slots.count == 3)
        #expect(Set(slots).count == 3, "each hour's slot is its own job")
    }
}
