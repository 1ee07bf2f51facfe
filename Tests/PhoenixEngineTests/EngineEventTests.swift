import FoundationEssentials
import Logging
import PhoenixDomain
import PhoenixEngine
import PhoenixPersistence
import Testing

private let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
private let fixedNow: @Sendable () -> Date = { Date(timeIntervalSince1970: 1_780_000_000) }

/// What the worker pool and the leader elector write to the event history.
@Suite struct EngineEventTests {
    @Test func theWorkerPoolRecordsEachJobStartAndEndWithItsSeverity() async throws {
        let catalog = try await SQLiteJobCatalog.makeTemporary()
        let workers = WorkerPool(
            catalog: catalog,
            handlers: [.verify: ScriptedHandler { _, _ in .succeeded },
                       .drill: ScriptedHandler { _, _ in .partiallyFailed("2 of 5 checks failed") },
                       .retention: ScriptedHandler { _, _ in throw Flaky(attempt: 1) }],
            settings: .init(workerID: "eu-1"), now: fixedNow, events: EventRecorder(log: catalog, now: fixedNow, logger: quiet), logger: quiet)
        var ids: [JobKind: JobID] = [:]
        for kind in [JobKind.verify, .drill, .retention] {
            ids[kind] = try await catalog.enqueue(Job(kind: kind, dataset: "ds-\(kind.rawValue)", trigger: "api:ops", createdAt: fixedNow())).id
            let claimed = try #require(try await catalog.claimNext(worker: "eu-1", now: fixedNow()))
            await workers.execute(claimed)
        }

        for (kind, state, severity) in [(JobKind.verify, "succeeded", EventSeverity.info), (.drill, "partially_failed", .warning),
                                        (.retention, "failed", .error)] {
            let id = try #require(ids[kind]).rawValue
            let events = try await catalog.events(EventQuery(subject: id))
            #expect(events.map(\.kind) == ["job.finished", "job.started"], "\(kind)")
            let finished = try #require(events.first)
            #expect(finished.details["state"] == state)
            #expect(finished.severity == severity, "\(kind)")
            #expect(finished.details["worker"] == "eu-1" && finished.details["dataset"] == "ds-\(kind.rawValue)")
            #expect(finished.time == fixedNow())
        }
        let failed = try await catalog.events(EventQuery(minimumSeverity: .error))
        #expect(failed.count == 1)
        #expect(failed.first?.details["error"] == "flaky failure 1")
    }

    /// The bound itself (gap within one period) is LeaseBinaryTests' to check, on processes of
    /// their own: here, beside hundreds of tests sharing two cores, only the recorded facts are.
    @Test func aTakeoverRecordsThePreviousHolderAndTheGapOnTheCatalogClock() async throws {
        let catalog = try await SQLiteJobCatalog.makeTemporary()
        let settings = LeaderElector.Settings(period: .seconds(4))
        let events = EventRecorder(log: catalog, now: fixedNow, logger: quiet)
        let first = LeaderElector(lease: catalog, holder: "a", settings: settings, events: events, logger: quiet)
        let second = LeaderElector(lease: catalog, holder: "b", settings: settings, events: events, logger: quiet)
        let held = try #require(await first.renew())
        #expect(held.holder == "a")

        // "a" stops renewing. "b" waits as its own loop would: never longer than the attempt
        // interval, and once the expiry is nearer than that, until just after it.
        var grant = try #require(await second.renew())
        var attempts = 1
        while grant.holder != "b" && attempts < 50 {
            let wait = second.nextAttempt(after: grant)
            #expect(wait <= settings.attemptInterval)
            try await Task.sleep(for: wait)
            grant = try #require(await second.renew())
            attempts += 1
        }
        #expect(grant.holder == "b")

        let acquired = try await catalog.events(EventQuery(kind: "lease.acquired"))
        #expect(acquired.map(\.details["holder"]) == ["b", "a"])
        let takeover = try #require(acquired.first)
        #expect(takeover.details["previous_holder"] == "a")
        #expect(takeover.details["epoch"] == "2" && takeover.details["previous_epoch"] == "1")
        #expect(takeover.details["period_ms"] == "4000")
        let renewed = try #require(takeover.details["previous_renewed_at"].flatMap { Int64($0) })
        let taken = try #require(takeover.details["acquired_at"].flatMap { Int64($0) })
        #expect(takeover.details["takeover_gap_ms"] == "\(taken - renewed)")
        #expect(taken - renewed >= 3000, "not before the grant (3/4 of the period) lapsed")

        // "b" renews, so the lease is surely its own when "a" comes back and learns it lost it.
        #expect(await second.renew()?.holder == "b")
        #expect(await first.renew()?.holder == "b")
        let lost = try await catalog.events(EventQuery(kind: "lease.lost"))
        #expect(lost.count == 1)
        #expect(lost.first?.details["new_holder"] == "b")
        #expect(lost.first?.severity == .warning)
    }

    @Test func aHolderRenewsEveryQuarterPeriodAndGrantsLastThreeQuarters() {
        let settings = LeaderElector.Settings(period: .seconds(20))
        #expect(settings.attemptInterval == .seconds(5))
        #expect(settings.grantDuration == .seconds(15))
        let elector = LeaderElector(lease: NoLease(), holder: "a", settings: settings, logger: quiet)
        let checked = fixedNow()
        let own = LeaseGrant(holder: "a", epoch: 1, expiresAt: checked.addingTimeInterval(15), checkedAt: checked)
        #expect(elector.nextAttempt(after: own) == .seconds(5))
        #expect(elector.nextAttempt(after: nil) == .seconds(5), "a failed attempt retries at the usual pace")
        let soon = LeaseGrant(holder: "b", epoch: 1, expiresAt: checked.addingTimeInterval(1.2), checkedAt: checked)
        #expect(elector.nextAttempt(after: soon) == .milliseconds(1205))
        let far = LeaseGrant(holder: "b", epoch: 1, expiresAt: checked.addingTimeInterval(14), checkedAt: checked)
        #expect(elector.nextAttempt(after: far) == .seconds(5))
        let lapsed = LeaseGrant(holder: "b", epoch: 1, expiresAt: checked.addingTimeInterval(-3), checkedAt: checked)
        #expect(elector.nextAttempt(after: lapsed) == .milliseconds(5))
    }
}

/// A lease never asked: for tests of the elector's arithmetic.
private struct NoLease: LeaderLease {
    func acquireLease(_ name: String, holder: String, duration: Duration) async throws -> LeaseGrant {
        throw CatalogError(.storage, "not used")
    }

    func releaseLease(_ name: String, holder: String) async throws {}
}
