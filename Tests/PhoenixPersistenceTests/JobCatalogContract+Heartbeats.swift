import FoundationEssentials
import PhoenixDomain
import Testing

extension JobCatalogContract {
    // MARK: - Heartbeats

    static func heartbeatReportsTheCancelFlagAndRefusesEndedJobs(makeCatalog: MakeCatalog) async throws {
        let catalog = try await makeCatalog()
        let job = try await catalog.enqueue(JobFixture.job(dataset: "vault", at: 1))
        _ = try await catalog.claimNext(worker: "w1", now: JobFixture.date(2))

        #expect(try await catalog.heartbeat(job.id, now: JobFixture.date(3)) == false)
        _ = try await catalog.requestCancel(job.id, now: JobFixture.date(4))
        #expect(try await catalog.heartbeat(job.id, now: JobFixture.date(5)) == true)
        try await catalog.finish(job.id, state: .cancelled, error: "cancelled", now: JobFixture.date(6))

        let ended = await #expect(throws: CatalogError.self) { try await catalog.heartbeat(job.id, now: JobFixture.date(7)) }
        #expect(ended?.code == .alreadyFinished)
        let unknown = await #expect(throws: CatalogError.self) { try await catalog.heartbeat(JobID.make(), now: JobFixture.date(7)) }
        #expect(unknown?.code == .notFound)
    }

    static func interruptSilentSweepsOnlyJobsWhoseWorkerFellSilent(makeCatalog: MakeCatalog) async throws {
        let catalog = try await makeCatalog()
        let silent = try await catalog.enqueue(JobFixture.job(dataset: "redis_data", at: 1))
        let beating = try await catalog.enqueue(JobFixture.job(dataset: "agent_state", at: 2))
        let queued = try await catalog.enqueue(JobFixture.job(dataset: "redis_data", at: 3))
        _ = try await catalog.claimNext(worker: "dead", now: JobFixture.date(10))
        _ = try await catalog.claimNext(worker: "alive", now: JobFixture.date(10))
        _ = try await catalog.heartbeat(beating.id, now: JobFixture.date(30))

        #expect(try await catalog.interruptSilent(since: JobFixture.date(20), now: JobFixture.date(40)) == 1)
        let swept = try #require(try await catalog.job(silent.id))
        #expect(swept.state == .interrupted)
        #expect(swept.finishedAt == JobFixture.date(40))
        #expect(swept.error?.isEmpty == false)
        #expect(try await catalog.job(beating.id)?.state == .running)
        #expect(try await catalog.job(queued.id)?.state == .queued)
        // The claim time counts as the first sign of life: a job claimed after `since` stays.
        #expect(try await catalog.interruptSilent(since: JobFixture.date(30), now: JobFixture.date(41)) == 0)
        #expect(try await catalog.claimNext(worker: "alive", now: JobFixture.date(42))?.id == queued.id)
    }

    // MARK: - Leader lease

    static func leaseHasOneHolderUntilItIsReleased(makeCatalog: MakeCatalog) async throws {
        let catalog = try await makeCatalog()
        let first = try await catalog.acquireLease("scheduler", holder: "a", duration: .seconds(60))
        #expect(first.holder == "a")
        #expect(first.epoch == 1)

        let refused = try await catalog.acquireLease("scheduler", holder: "b", duration: .seconds(60))
        #expect(refused.holder == "a" && refused.epoch == 1 && refused.expiresAt == first.expiresAt && refused.previous == nil)
        let renewed = try await catalog.acquireLease("scheduler", holder: "a", duration: .seconds(60))
        #expect(renewed.holder == "a" && renewed.epoch == 1 && renewed.expiresAt >= first.expiresAt)
        // A renewal moves the renewal time, not the time the holder took the lease.
        #expect(renewed.acquiredAt == first.acquiredAt && renewed.renewedAt! >= first.renewedAt! && renewed.previous == nil)
        // Leases are independent by name, and only the holder can release one.
        #expect(try await catalog.acquireLease("health", holder: "b", duration: .seconds(60)).holder == "b")
        try await catalog.releaseLease("scheduler", holder: "b")
        #expect(try await catalog.acquireLease("scheduler", holder: "b", duration: .seconds(60)).holder == "a")

        try await catalog.releaseLease("scheduler", holder: "a")
        let taken = try await catalog.acquireLease("scheduler", holder: "b", duration: .seconds(60))
        #expect(taken.holder == "b")
        #expect(taken.epoch == 2)
        #expect(taken.previous == LeaseHandover(holder: "a", epoch: 1, renewedAt: renewed.renewedAt))
    }

    static func aTakeoverReportsThePreviousHolderAndItsLastRenewal(makeCatalog: MakeCatalog) async throws {
        let catalog = try await makeCatalog()
        let held = try await catalog.acquireLease("scheduler", holder: "a", duration: .milliseconds(300))
        let renewedAt = try #require(held.renewedAt)
        let checkedAt = try #require(held.checkedAt)
        #expect(held.acquiredAt == renewedAt)
        // The grant runs `duration` from the renewal, on the catalog's clock.
        #expect(millis(held.expiresAt) - millis(renewedAt) == 300)
        #expect(checkedAt >= renewedAt)

        var grant = try await catalog.acquireLease("scheduler", holder: "b", duration: .seconds(60))
        if grant.holder == "a" {
            // A standby's answer tells how long the lease still runs, by the catalog's clock. (On
            // a loaded machine the 300 ms may already be over at this first attempt.)
            #expect(grant.previous == nil)
            let seen = try #require(grant.checkedAt)
            #expect(seen >= checkedAt && seen <= grant.expiresAt)
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while grant.holder == "a" && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
            grant = try await catalog.acquireLease("scheduler", holder: "b", duration: .seconds(60))
        }
        #expect(grant.holder == "b")
        #expect(grant.previous == LeaseHandover(holder: "a", epoch: 1, renewedAt: renewedAt))
        // Taken no earlier than the lapse: the gap is at least the grant's duration.
        let acquiredAt = try #require(grant.acquiredAt)
        #expect(millis(acquiredAt) - millis(renewedAt) >= 300)
        #expect(grant.renewedAt == acquiredAt)
        // Its next renewal keeps the time it was taken and no longer reports a handover.
        let again = try await catalog.acquireLease("scheduler", holder: "b", duration: .seconds(60))
        #expect(again.acquiredAt == acquiredAt && again.previous == nil && again.epoch == 2)
    }

    static func leaseLapsesAfterItsDuration(makeCatalog: MakeCatalog) async throws {
        let catalog = try await makeCatalog()
        let short = try await catalog.acquireLease("scheduler", holder: "a", duration: .milliseconds(200))
        #expect(short.holder == "a")

        // Polls until the catalog's clock passes the expiry; no assertion on how long that took.
        var grant = short
        let deadline = ContinuousClock.now + .seconds(10)
        while grant.holder == "a" && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
            grant = try await catalog.acquireLease("scheduler", holder: "b", duration: .seconds(60))
        }
        #expect(grant.holder == "b")
        #expect(grant.epoch == 2)
        #expect(try await catalog.acquireLease("scheduler", holder: "a", duration: .seconds(60)).holder == "b")
    }

    static func concurrentAcquiresGrantALeaseToOneHolder(makeCatalog: MakeCatalog) async throws {
        let catalog = try await makeCatalog()
        let grants = try await withThrowingTaskGroup(of: LeaseGrant.self) { group in
            for holder in 0..<12 {
                group.addTask { try await catalog.acquireLease("scheduler", holder: "h\(holder)", duration: .seconds(60)) }
            }
            return try await group.reduce(into: [LeaseGrant]()) { $0.append($1) }
        }
        #expect(Set(grants.map(\.holder)).count == 1)
        #expect(Set(grants.map(\.epoch)) == [1])
    }

    /// Whole milliseconds since 1970, the precision both catalogs keep.
    private static func millis(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }
}
