import FoundationEssentials
import Logging
import PhoenixDomain
import PhoenixEngine
import PhoenixPersistence
import Testing

private let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

/// The catch-up after downtime finds the schedule's last run however many other jobs the
/// dataset has, and counts from the newest job when the schedule never ran.
@Suite struct SchedulerCatchUpTests {
    static let start = SchedulerTests.start  // 2026-05-28T20:26:40Z
    let entry: Scheduler.Entry

    init() throws {
        entry = Scheduler.Entry(dataset: "redis_data", schedule: try CronSchedule(parsing: "*/15 * * * *"))
    }

    @Test func theLastScheduledRunIsFoundBehindMoreThanTwentyAPIJobs() async throws {
        let catalog = try await SQLiteJobCatalog.makeTemporary()
        let clock = ManualWallClock(Self.start)
        let scheduler = Scheduler(entries: [entry], catalog: catalog, now: { clock.now() }, logger: quiet)
        try await scheduler.enqueueForTests(entry, fire: try #require(entry.schedule.nextFire(after: Self.start)))
        // 30 backups triggered through the API after the scheduled one, as a busy operator would.
        for index in 1...30 {
            clock.advance(by: 1)
            _ = try await catalog.enqueue(Job(kind: .backup, dataset: "redis_data", trigger: "api:ops", idempotencyKey: "api-\(index)",
                                              createdAt: clock.now()))
        }
        clock.advance(by: 3 * 3600 - 30)  // down from 20:30 to 23:26:40: the slots 20:45 ... 23:15 are missed

        try await scheduler.catchUp(entry)
        try await scheduler.catchUp(entry)
        let caughtUp = try await catalog.list(JobQuery(kind: .backup, dataset: "redis_data", limit: 100))
            .filter { $0.trigger.hasPrefix("schedule (caught up") }
        #expect(caughtUp.map(\.trigger) == ["schedule (caught up; 11 missed)"])
        // The latest missed slot, 23:15, names the job.
        #expect(caughtUp.first?.idempotencyKey == "schedule:redis_data:1780010100")
    }

    @Test func beforeTheFirstScheduledRunTheNewestJobStartsTheCount() async throws {
        let catalog = try await SQLiteJobCatalog.makeTemporary()
        let clock = ManualWallClock(Self.start)
        let scheduler = Scheduler(entries: [entry], catalog: catalog, now: { clock.now() },
                                  events: EventRecorder(log: catalog, now: { clock.now() }, logger: quiet), logger: quiet)
        // The first backup came through the API; then the instance was down over every slot.
        _ = try await catalog.enqueue(Job(kind: .backup, dataset: "redis_data", trigger: "api:ops", createdAt: clock.now()))
        // A job of another dataset and a job of another kind do not count for this entry.
        _ = try await catalog.enqueue(Job(kind: .verify, dataset: "redis_data", trigger: "api:ops", createdAt: clock.now().addingTimeInterval(7000)))
        clock.advance(by: 3 * 3600)

        try await scheduler.catchUp(entry)
        try await scheduler.catchUp(entry)  // the caught-up job is now the last scheduled run
        let jobs = try await catalog.list(JobQuery(kind: .backup, dataset: "redis_data"))
        #expect(jobs.map(\.trigger) == ["schedule (caught up; 12 missed)", "api:ops"])

        let events = try await catalog.events(EventQuery(kind: "schedule.caught_up"))
        #expect(events.count == 1)
        #expect(events.first?.subject == "redis_data")
        #expect(events.first?.severity == .warning)
        #expect(events.first?.details["missed"] == "12")
    }

    @Test func aDatasetThatNeverHadAJobHasMissedNothing() async throws {
        let catalog = try await SQLiteJobCatalog.makeTemporary()
        let clock = ManualWallClock(Self.start)
        let scheduler = Scheduler(entries: [entry], catalog: catalog, now: { clock.now() }, logger: quiet)
        _ = try await catalog.enqueue(Job(kind: .backup, dataset: "other", trigger: "api:ops", createdAt: clock.now()))
        clock.advance(by: 3 * 3600)
        try await scheduler.catchUp(entry)
        #expect(try await catalog.list(JobQuery(dataset: "redis_data")).isEmpty)
    }

    @Test func aRetentionEntryCountsFromItsOwnScheduledRunsNotTheBackups() async throws {
        let catalog = try await SQLiteJobCatalog.makeTemporary()
        let clock = ManualWallClock(Self.start)
        let daily = Scheduler.Entry(dataset: "redis_data", schedule: try CronSchedule(parsing: "17 3 * * *"), kind: .retention)
        let scheduler = Scheduler(entries: [entry, daily], catalog: catalog, now: { clock.now() }, logger: quiet)
        // The retention run of 03:17 today, then backups every quarter hour until now.
        let lastRetention = try #require(daily.schedule.nextFire(after: Self.start.addingTimeInterval(-86_400)))
        try await scheduler.enqueueForTests(daily, fire: lastRetention)
        try await scheduler.enqueueForTests(entry, fire: try #require(entry.schedule.nextFire(after: Self.start)))
        clock.advance(by: 2 * 86_400)  // two days down: two retention slots missed

        try await scheduler.catchUp(daily)
        let retention = try await catalog.list(JobQuery(kind: .retention, dataset: "redis_data"))
        #expect(retention.map(\.trigger) == ["schedule (caught up; 2 missed)", "schedule"])
    }
}
