import FoundationEssentials
import Logging
import PhoenixDomain
import PhoenixEngine
import PhoenixPersistence
import Synchronization
import Testing

private let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

/// Leadership over a real catalog lease (SQLite here; the PostgreSQL lease passes the same
/// contract in PhoenixPersistenceTests), stepped by hand with `renew()`.
@Suite struct LeaderElectorTests {
    private func settings(_ period: Duration) -> LeaderElector.Settings {
        LeaderElector.Settings(period: period)
    }

    @Test func ofTwoInstancesOneLeadsAndTheOtherTakesOverWhenItStops() async throws {
        let catalog = try await SQLiteJobCatalog.makeTemporary()
        // Seconds, not milliseconds: a loaded CI machine may stall a task for a good part of one.
        // A 4 s period grants 3 s, of which an instance counts 2.7 s as leading.
        let first = LeaderElector(lease: catalog, holder: "a", settings: settings(.seconds(4)), logger: quiet)
        let second = LeaderElector(lease: catalog, holder: "b", settings: settings(.seconds(4)), logger: quiet)

        await first.renew()
        await second.renew()
        #expect(first.isLeader)
        #expect(first.epoch == 1)
        #expect(!second.isLeader)
        #expect(second.epoch == nil)

        // "a" stops renewing (as if killed): its own leadership lapses, and "b" gets the lease.
        var taken = false
        let deadline = ContinuousClock.now + .seconds(20)
        while !taken && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            await second.renew()
            taken = second.isLeader
        }
        #expect(taken)
        #expect(second.epoch == 2)
        #expect(!first.isLeader, "a leader that stopped renewing must not think it still leads")
        await first.renew()
        #expect(!first.isLeader)
    }

    @Test func aFailingCatalogEndsLeadershipWhenTheLeaseWouldHaveLapsed() async throws {
        let lease = FlakyLease(inner: try await SQLiteJobCatalog.makeTemporary())
        let elector = LeaderElector(lease: lease, holder: "a", settings: settings(.seconds(4)), logger: quiet)
        await elector.renew()
        #expect(elector.isLeader)

        lease.isFailing.withLock { $0 = true }
        await elector.renew()
        let lapsed = try await waitUntil { !elector.isLeader }
        #expect(lapsed)
    }

    @Test func aFollowerSchedulerQueuesNothingAndCatchesUpOnceWhenItLeads() async throws {
        let catalog = try await SQLiteJobCatalog.makeTemporary()
        let clock = ManualWallClock(Date(timeIntervalSince1970: 1_780_000_000))
        let entry = Scheduler.Entry(dataset: "metrics", schedule: try CronSchedule(parsing: "0 * * * *"))
        let leading = Mutex(false)
        // Seed one earlier scheduled run, so the catch-up has a last run to count from.
        let seed = Scheduler(entries: [entry], catalog: catalog, now: { clock.now() }, logger: quiet)
        try await seed.enqueueForTests(entry, fire: try #require(entry.schedule.nextFire(after: clock.now().addingTimeInterval(-7200))))

        let scheduler = Scheduler(
            entries: [entry], catalog: catalog, now: { clock.now() },
            sleep: { duration in
                clock.advance(by: Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
                await Task.yield()
            },
            leadership: .elected(isLeader: { leading.withLock { $0 } }, pollInterval: .seconds(600)), logger: quiet)
        let service = Task { try await scheduler.run() }
        // As a follower, hours pass on the manual clock and nothing is queued.
        let passed = try await waitUntil { clock.now().timeIntervalSince1970 > 1_780_000_000 + 5 * 3600 }
        #expect(passed)
        #expect(try await catalog.list(JobQuery(dataset: "metrics")).count == 1)

        leading.withLock { $0 = true }
        let caughtUp = try await waitUntil { try await catalog.list(JobQuery(dataset: "metrics")).count >= 2 }
        service.cancel()
        _ = await service.result
        #expect(caughtUp)
        let jobs = try await catalog.list(JobQuery(dataset: "metrics", limit: 50))
        let catchUps = jobs.filter { $0.trigger.hasPrefix("schedule (caught up;") }
        #expect(catchUps.count == 1, "one catch-up job for the gap, not one per missed slot")
    }

    @Test func onlyTheLeaderSweepsUpJobsOfASilentWorker() async throws {
        let catalog = try await SQLiteJobCatalog.makeTemporary()
        let clock = ManualWallClock(Date(timeIntervalSince1970: 1_780_000_000))
        let job = try await catalog.enqueue(Job(kind: .backup, dataset: "vault", trigger: "schedule", createdAt: clock.now()))
        _ = try await catalog.claimNext(worker: "dead", now: clock.now())
        clock.advance(by: 120)
        let leading = Mutex(false)
        let sweeper = SilentJobSweeper(catalog: catalog, isLeader: { leading.withLock { $0 } }, silenceLimit: .seconds(60),
                                       now: { clock.now() }, logger: quiet)
        let follower = Task { try await sweeper.run() }
        try await Task.sleep(for: .milliseconds(50))
        follower.cancel()
        _ = await follower.result
        #expect(try await catalog.job(job.id)?.state == .running)

        leading.withLock { $0 = true }
        await sweeper.sweep()
        #expect(try await catalog.job(job.id)?.state == .interrupted)
    }

    private func waitUntil(_ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return try await condition()
    }
}

/// A lease that can be made to fail, as a catalog the instance lost contact with.
private final class FlakyLease: LeaderLease {
    let inner: SQLiteJobCatalog
    let isFailing = Mutex(false)

    init(inner: SQLiteJobCatalog) {
        self.inner = inner
    }

    func acquireLease(_ name: String, holder: String, duration: Duration) async throws -> LeaseGrant {
        if isFailing.withLock({ $0 }) { throw CatalogError(.storage, "the job catalog's database is unreachable") }
        return try await inner.acquireLease(name, holder: holder, duration: duration)
    }

    func releaseLease(_ name: String, holder: String) async throws {
        try await inner.releaseLease(name, holder: holder)
    }
}
